import type { NextRequest } from "next/server";
import { authenticateAs } from "@/lib/server/api-auth";
import { jsonResponse } from "@/lib/server/http";
import { getActiveMeta, getActiveSource } from "@/lib/server/config-snapshots";
import { restoreConfig } from "@/lib/server/config-restore";
import { actorOf } from "@/lib/server/principal";

/** Puts every saved edit back to what the engine runs (audited). */
export async function POST(req: NextRequest) {
  const auth = await authenticateAs(req, "operator");
  if (!auth.ok) return auth.response;
  const [active, meta] = await Promise.all([getActiveSource(), getActiveMeta()]);
  return jsonResponse(await restoreConfig(active, actorOf(auth.principal), "config.discard", { backTo: meta.version }));
}
