import type { NextRequest } from "next/server";
import { authenticateAs } from "@/lib/server/api-auth";
import { errorResponse, jsonResponse } from "@/lib/server/http";
import { securityOverview } from "@/lib/server/security";

/** The security monitor: authentication over the last hour, top failing sources, suspensions, the allow-list. */
export async function GET(req: NextRequest) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  const overview = await securityOverview();
  return overview.ok
    ? jsonResponse(overview.value)
    : errorResponse("rejected", `The engine cannot be asked: ${overview.error}`);
}
