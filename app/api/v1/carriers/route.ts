import type { NextRequest } from "next/server";
import { authenticateAs } from "@/lib/server/api-auth";
import { errorResponse, jsonResponse } from "@/lib/server/http";
import { engineTargets, fetchCarrierStatus } from "@/lib/server/engine-client";

/** Each carrier's state: register-out gateways registered or failed (last code, reason), static ones reachable or not. */
export async function GET(req: NextRequest) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  const status = await fetchCarrierStatus(engineTargets()[0]);
  return status.ok
    ? jsonResponse(status.value)
    : errorResponse("rejected", `The engine cannot be asked: ${status.error}`);
}
