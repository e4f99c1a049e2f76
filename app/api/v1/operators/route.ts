import type { NextRequest } from "next/server";
import { createOperatorSchema } from "@/lib/domain/operator";
import { authenticate, authorize } from "@/lib/server/api-auth";
import { jsonResponse, parseJsonBody, respond } from "@/lib/server/http";
import { createOperator, listOperators } from "@/lib/server/operators";
import { actorOf } from "@/lib/server/principal";

export async function GET(req: NextRequest) {
  const auth = await authenticate(req);
  if (!auth.ok) return auth.response;
  const denied = authorize(auth.principal, "admin");
  if (denied) return denied;
  return jsonResponse({ items: await listOperators() });
}

export async function POST(req: NextRequest) {
  const auth = await authenticate(req);
  if (!auth.ok) return auth.response;
  const denied = authorize(auth.principal, "admin");
  if (denied) return denied;
  const body = await parseJsonBody(req, createOperatorSchema);
  if (!body.ok) return body.response;
  return respond(await createOperator(body.data, actorOf(auth.principal)), 201);
}
