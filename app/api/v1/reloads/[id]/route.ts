import type { NextRequest } from "next/server";
import { authenticateAs } from "@/lib/server/api-auth";
import { errorResponse, jsonResponse } from "@/lib/server/http";
import { getReloadJob } from "@/lib/server/reloads";

export async function GET(req: NextRequest, ctx: { params: Promise<{ id: string }> }) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  const job = getReloadJob((await ctx.params).id);
  return job
    ? jsonResponse(job)
    : errorResponse(
        "not_found",
        "No reload job with that id (jobs are kept until the console restarts; see /api/v1/snapshots for history)",
      );
}
