import type { NextRequest } from "next/server";
import { authenticate, authorize } from "@/lib/server/api-auth";
import { jsonResponse } from "@/lib/server/http";
import { listPendingChanges } from "@/lib/server/pending";

/** The pending diff against what the engine runs, field by field; secrets only as "(changed)". */
export async function GET(req: NextRequest) {
  const auth = await authenticate(req);
  if (!auth.ok) return auth.response;
  const denied = authorize(auth.principal, "viewer");
  if (denied) return denied;
  return jsonResponse({ items: await listPendingChanges() });
}
