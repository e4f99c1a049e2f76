import type { NextRequest } from "next/server";
import { authenticate, authorize } from "@/lib/server/api-auth";
import { errorResponse, jsonResponse } from "@/lib/server/http";
import { getImportJob } from "@/lib/server/import-jobs";

/** Progress and outcome of a CSV import started with `?mode=commit`. */
export async function GET(req: NextRequest, ctx: { params: Promise<{ id: string }> }) {
  const auth = await authenticate(req);
  if (!auth.ok) return auth.response;
  const denied = authorize(auth.principal, "operator");
  if (denied) return denied;
  const job = getImportJob((await ctx.params).id);
  return job ? jsonResponse(job) : errorResponse("not_found", "No import job with that id (jobs are kept until the console restarts)");
}
