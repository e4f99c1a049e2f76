import type { NextRequest } from "next/server";
import { authenticateAs } from "@/lib/server/api-auth";
import { jsonResponse } from "@/lib/server/http";
import { gatewayCallStats } from "@/lib/server/cdrs";
import { engineTargets, fetchLiveCalls } from "@/lib/server/engine-client";

/** Per gateway: live calls now, and attempts, ASR and ACD over the last 24 hours. */
export async function GET(req: NextRequest) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  const [mapping, routing, live] = await Promise.all([
    gatewayCallStats("mapping"),
    gatewayCallStats("routing"),
    fetchLiveCalls(engineTargets()[0]),
  ]);
  const liveBy: Record<string, number> = {};
  for (const c of live.ok ? live.value.items : []) {
    liveBy[c.mappingGatewayId] = (liveBy[c.mappingGatewayId] ?? 0) + 1;
    if (c.routingGatewayId) liveBy[c.routingGatewayId] = (liveBy[c.routingGatewayId] ?? 0) + 1;
  }
  return jsonResponse({ mapping, routing, live: liveBy, engineReachable: live.ok });
}
