import type { NextRequest } from "next/server";
import { traceStartSchema } from "@/lib/domain/trace";
import { authenticateAs } from "@/lib/server/api-auth";
import { jsonResponse, parseJsonBody, respond } from "@/lib/server/http";
import { actorOf } from "@/lib/server/principal";
import { listTraces, startTrace } from "@/lib/server/traces";

/** Debug traces, newest first. */
export async function GET(req: NextRequest) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  return jsonResponse({ items: await listTraces() });
}

/** Starts a trace for a number of minutes, with filters (audited). */
export async function POST(req: NextRequest) {
  const auth = await authenticateAs(req, "operator");
  if (!auth.ok) return auth.response;
  const body = await parseJsonBody(req, traceStartSchema);
  if (!body.ok) return body.response;
  return respond(await startTrace(actorOf(auth.principal), body.data), 201);
}
