import type { NextRequest } from "next/server";
import { authenticate, authorize } from "@/lib/server/api-auth";
import { jsonResponse } from "@/lib/server/http";
import { countPendingChanges } from "@/lib/server/parameters";
import { getActiveSnapshot } from "@/lib/server/config-snapshots";

/** What the header badge shows: saved changes the engine does not run yet. */
export async function GET(req: NextRequest) {
  const auth = await authenticate(req);
  if (!auth.ok) return auth.response;
  const denied = authorize(auth.principal, "viewer");
  if (denied) return denied;
  const [count, active] = await Promise.all([countPendingChanges(), getActiveSnapshot()]);
  return jsonResponse({ count, activeVersion: active.version, activeHash: active.hash });
}
