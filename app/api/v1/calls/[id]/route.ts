import type { NextRequest } from "next/server";
import { authenticateAs } from "@/lib/server/api-auth";
import { recordAudit } from "@/lib/server/audit";
import { db } from "@/lib/server/db";
import { errorResponse, jsonResponse } from "@/lib/server/http";
import { engineTargets, hangUpCall } from "@/lib/server/engine-client";
import { actorOf } from "@/lib/server/principal";

/** Hang up a call: both legs end (audited). */
export async function DELETE(req: NextRequest, ctx: { params: Promise<{ id: string }> }) {
  const auth = await authenticateAs(req, "operator");
  if (!auth.ok) return auth.response;
  const id = (await ctx.params).id;
  const result = await hangUpCall(engineTargets()[0], id);
  if (!result.ok) return errorResponse("rejected", `The engine cannot hang up call ${id}: ${result.error}`);
  if (!result.value.hungUp) return errorResponse("not_found", `No call ${id} in progress`);
  await recordAudit(db, actorOf(auth.principal), { action: "call.hang-up", entityType: "call", entityId: id });
  return jsonResponse(result.value);
}
