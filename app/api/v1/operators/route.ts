import type { NextRequest } from "next/server";
import { createOperatorSchema } from "@/lib/domain/operator";
import { authenticateAs } from "@/lib/server/api-auth";
import { jsonResponse, parseJsonBody, respond } from "@/lib/server/http";
import { createOperator, listOperators } from "@/lib/server/operators";
import { actorOf } from "@/lib/server/principal";

export async function GET(req: NextRequest) {
  const auth = await authenticateAs(req, "admin");
  if (!auth.ok) return auth.response;
  return jsonResponse({ items: await listOperators() });
}

export async function POST(req: NextRequest) {
  const auth = await authenticateAs(req, "admin");
  if (!auth.ok) return auth.response;
  const body = await parseJsonBody(req, createOperatorSchema);
  if (!body.ok) return body.response;
  return respond(await createOperator(body.data, actorOf(auth.principal)), 201);
}
