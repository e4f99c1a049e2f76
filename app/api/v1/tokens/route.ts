import type { NextRequest } from "next/server";
import { createApiTokenSchema } from "@/lib/domain/api-token";
import { authenticate, authorize } from "@/lib/server/api-auth";
import { createApiToken, listApiTokens } from "@/lib/server/api-tokens";
import { jsonResponse, parseJsonBody, respond } from "@/lib/server/http";
import { actorOf } from "@/lib/server/principal";

export async function GET(req: NextRequest) {
  const auth = await authenticate(req);
  if (!auth.ok) return auth.response;
  const denied = authorize(auth.principal, "admin");
  if (denied) return denied;
  return jsonResponse({ items: await listApiTokens() });
}

/** The token value is in this response only; the server keeps its hash. */
export async function POST(req: NextRequest) {
  const auth = await authenticate(req);
  if (!auth.ok) return auth.response;
  const denied = authorize(auth.principal, "admin");
  if (denied) return denied;
  const body = await parseJsonBody(req, createApiTokenSchema);
  if (!body.ok) return body.response;
  return respond(await createApiToken(body.data, actorOf(auth.principal)), 201);
}
