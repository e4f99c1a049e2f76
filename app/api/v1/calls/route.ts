import type { NextRequest } from "next/server";
import { authenticateAs } from "@/lib/server/api-auth";
import { errorResponse, jsonResponse } from "@/lib/server/http";
import { engineTargets, fetchLiveCalls } from "@/lib/server/engine-client";

/** Calls in progress: who to whom, through which gateways, since when. */
export async function GET(req: NextRequest) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  const calls = await fetchLiveCalls(engineTargets()[0]);
  return calls.ok ? jsonResponse(calls.value) : errorResponse("rejected", `The engine cannot be asked: ${calls.error}`);
}
