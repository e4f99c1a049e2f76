import type { NextRequest } from "next/server";
import { z } from "zod";
import { canonicalIp } from "@/lib/domain/gateway-fields";
import { authenticateAs } from "@/lib/server/api-auth";
import { errorResponse, jsonResponse, parseSearchParams } from "@/lib/server/http";
import { diagnoseAddress, diagnoseCallId, diagnoseGateway } from "@/lib/server/auth-doctor";

const querySchema = z
  .object({
    callId: z.string().min(1).max(500).optional(),
    gatewayId: z.string().min(1).max(100).optional(),
    address: z
      .string()
      .max(100)
      .refine((v) => canonicalIp(v) !== null, { error: (i) => `"${String(i.input)}" is not an IPv4 or IPv6 address` })
      .transform((v) => canonicalIp(v)!)
      .optional(),
  })
  .refine((q) => [q.callId, q.gatewayId, q.address].filter(Boolean).length === 1, {
    error: "Give exactly one of callId, gatewayId or address",
  });

/** The auth doctor: why a registration or call failed, for one Call-ID, one mapping gateway or one source address. */
export async function GET(req: NextRequest) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  const query = parseSearchParams(req, querySchema);
  if (!query.ok) return query.response;
  try {
    if (query.data.callId) return jsonResponse(await diagnoseCallId(query.data.callId));
    if (query.data.address) return jsonResponse(await diagnoseAddress(query.data.address));
    const diagnosis = await diagnoseGateway(query.data.gatewayId as string);
    return diagnosis
      ? jsonResponse(diagnosis)
      : errorResponse("not_found", `No mapping gateway ${query.data.gatewayId} in the running configuration`);
  } catch (error) {
    return errorResponse("rejected", `The engine cannot be asked: ${(error as Error).message}`);
  }
}
