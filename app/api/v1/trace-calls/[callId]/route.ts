import type { NextRequest } from "next/server";
import { authenticateAs } from "@/lib/server/api-auth";
import { errorResponse, jsonResponse } from "@/lib/server/http";
import { messagesByCallId } from "@/lib/server/traces";

/** Every message of one Call-ID: from the traces that captured it, or else from the engine's recent ring. */
export async function GET(req: NextRequest, ctx: { params: Promise<{ callId: string }> }) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  const callId = (await ctx.params).callId;
  if (callId.length > 500) return errorResponse("validation", "A Call-ID has at most 500 characters");
  try {
    return jsonResponse({ callId, ...(await messagesByCallId(callId)) });
  } catch (error) {
    return errorResponse("rejected", `The engine cannot be asked: ${(error as Error).message}`);
  }
}
