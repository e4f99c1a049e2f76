import type { NextRequest } from "next/server";
import { authenticate, authorize } from "@/lib/server/api-auth";
import { jsonResponse } from "@/lib/server/http";
import { summarisePending } from "@/lib/server/pending";

/** What the header badge shows: saved changes the engine does not run yet. */
export async function GET(req: NextRequest) {
  const auth = await authenticate(req);
  if (!auth.ok) return auth.response;
  const denied = authorize(auth.principal, "viewer");
  if (denied) return denied;
  return jsonResponse(await summarisePending());
}
