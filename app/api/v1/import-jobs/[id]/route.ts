import type { NextRequest } from "next/server";
import { authenticateAs } from "@/lib/server/api-auth";
import { errorResponse, jsonResponse } from "@/lib/server/http";
import { getImportJob } from "@/lib/server/import-jobs";

/** Progress and outcome of a CSV import started with `?mode=commit`. */
export async function GET(req: NextRequest, ctx: { params: Promise<{ id: string }> }) {
  const auth = await authenticateAs(req, "operator");
  if (!auth.ok) return auth.response;
  const job = getImportJob((await ctx.params).id);
  return job
    ? jsonResponse(job)
    : errorResponse("not_found", "No import job with that id (jobs are kept until the console restarts)");
}
