import type { NextRequest } from "next/server";
import { z } from "zod";
import { authenticateAs } from "@/lib/server/api-auth";
import { errorResponse, jsonResponse, parseSearchParams, respond } from "@/lib/server/http";
import { actorOf } from "@/lib/server/principal";
import { getTrace, stopTrace, traceMessages } from "@/lib/server/traces";

const querySchema = z.object({ after: z.coerce.number().int().min(0).default(0) });

/** A trace and its messages after message id `after`. */
export async function GET(req: NextRequest, ctx: { params: Promise<{ id: string }> }) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  const query = parseSearchParams(req, querySchema);
  if (!query.ok) return query.response;
  const id = (await ctx.params).id;
  const trace = await getTrace(id);
  if (!trace) return errorResponse("not_found", `No trace ${id}`);
  return jsonResponse({ trace, messages: await traceMessages(id, query.data.after) });
}

/** Stops a running trace early (audited); what it captured stays. */
export async function DELETE(req: NextRequest, ctx: { params: Promise<{ id: string }> }) {
  const auth = await authenticateAs(req, "operator");
  if (!auth.ok) return auth.response;
  return respond(await stopTrace(actorOf(auth.principal), (await ctx.params).id));
}
