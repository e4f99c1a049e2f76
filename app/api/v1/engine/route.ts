import type { NextRequest } from "next/server";
import { authenticateAs } from "@/lib/server/api-auth";
import { jsonResponse } from "@/lib/server/http";
import { engineTargets, fetchEngineStatus } from "@/lib/server/engine-client";
import { getActiveMeta } from "@/lib/server/config-snapshots";
import { supervisorState } from "@/lib/server/engine-supervisor";

/** Engines up or down, the version each runs against the latest applied one. */
export async function GET(req: NextRequest) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  const [active, statuses] = await Promise.all([
    getActiveMeta(),
    Promise.all(engineTargets().map(async (t) => ({ url: t.url, status: await fetchEngineStatus(t) }))),
  ]);
  const supervisor = supervisorState();
  return jsonResponse({
    active,
    supervised: supervisor !== undefined,
    restarts: supervisor?.restarts ?? 0,
    lastExit: supervisor?.lastExit ?? null,
    engines: statuses.map(({ url, status }) =>
      status.ok ? { url, up: true, ...status.value } : { url, up: false, error: status.error },
    ),
  });
}
