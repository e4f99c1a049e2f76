import type { NextRequest } from "next/server";
import { z } from "zod";
import { authenticate, authorize } from "@/lib/server/api-auth";
import { errorResponse, jsonResponse, parseSearchParams } from "@/lib/server/http";
import { engineTargets, fetchRegistrations } from "@/lib/server/engine-client";

const querySchema = z.object({
  gatewayId: z.string().max(100).optional(),
  limit: z.coerce.number({ error: "limit must be a number" }).int().min(1).max(5000, "limit must be at most 5000").default(500),
});

/** Live registrations (bindings) the engine holds, per mapping gateway: who is online, from where, until when. */
export async function GET(req: NextRequest) {
  const auth = await authenticate(req);
  if (!auth.ok) return auth.response;
  const denied = authorize(auth.principal, "viewer");
  if (denied) return denied;
  const query = parseSearchParams(req, querySchema);
  if (!query.ok) return query.response;
  const page = await fetchRegistrations(engineTargets()[0], { accountId: query.data.gatewayId, limit: query.data.limit });
  if (!page.ok) return errorResponse("rejected", `The engine cannot be asked: ${page.error}`);
  return jsonResponse({
    total: page.value.total,
    items: page.value.bindings.map((b) => ({
      gatewayId: b.accountId, contact: b.uri, source: `${b.source.transport}:${b.source.address}:${b.source.port}`, userAgent: b.userAgent,
      registeredAt: new Date(b.registeredAt).toISOString(), expiresAt: new Date(b.expiresAt).toISOString(), expired: b.expired,
    })),
  });
}
