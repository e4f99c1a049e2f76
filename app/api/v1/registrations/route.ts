import type { NextRequest } from "next/server";
import { z } from "zod";
import { authenticateAs } from "@/lib/server/api-auth";
import { errorResponse, jsonResponse, parseSearchParams } from "@/lib/server/http";
import { engineTargets, fetchGatewayActivity, fetchRegistrations } from "@/lib/server/engine-client";

const querySchema = z.object({
  gatewayId: z.string().max(100).optional(),
  limit: z.coerce
    .number({ error: "limit must be a number" })
    .int()
    .min(1)
    .max(5000, "limit must be at most 5000")
    .default(500),
});

/**
 * Live registrations (bindings) the engine holds, per mapping gateway: who is online, from where,
 * until when; and when each gateway last sent a request the engine accepted (IP gateways' "last seen").
 */
export async function GET(req: NextRequest) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  const query = parseSearchParams(req, querySchema);
  if (!query.ok) return query.response;
  const target = engineTargets()[0];
  const [page, activity] = await Promise.all([
    fetchRegistrations(target, { accountId: query.data.gatewayId, limit: query.data.limit }),
    fetchGatewayActivity(target),
  ]);
  if (!page.ok) return errorResponse("rejected", `The engine cannot be asked: ${page.error}`);
  if (!activity.ok) return errorResponse("rejected", `The engine cannot be asked: ${activity.error}`);
  return jsonResponse({
    total: page.value.total,
    items: page.value.bindings.map((b) => ({
      gatewayId: b.accountId,
      contact: b.uri,
      source: `${b.source.transport}:${b.source.address}:${b.source.port}`,
      userAgent: b.userAgent,
      registeredAt: new Date(b.registeredAt).toISOString(),
      expiresAt: new Date(b.expiresAt).toISOString(),
      expired: b.expired,
    })),
    lastSeen: Object.fromEntries(
      Object.entries(activity.value).map(([id, a]) => [
        id,
        { at: new Date(a.lastSeenAt).toISOString(), source: `${a.transport}:${a.address}:${a.port}` },
      ]),
    ),
  });
}
