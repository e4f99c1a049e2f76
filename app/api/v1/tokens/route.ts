import type { NextRequest } from "next/server";
import { createApiTokenSchema } from "@/lib/domain/api-token";
import { authenticateAs } from "@/lib/server/api-auth";
import { createApiToken, listApiTokens } from "@/lib/server/api-tokens";
import { jsonResponse, parseJsonBody, respond } from "@/lib/server/http";

export async function GET(req: NextRequest) {
  const auth = await authenticateAs(req, "admin");
  if (!auth.ok) return auth.response;
  return jsonResponse({ items: await listApiTokens() });
}

/** The token value is in this response only; the server keeps its hash. */
export async function POST(req: NextRequest) {
  const auth = await authenticateAs(req, "admin");
  if (!auth.ok) return auth.response;
  const body = await parseJsonBody(req, createApiTokenSchema);
  if (!body.ok) return body.response;
  return respond(await createApiToken(body.data, auth.principal), 201);
}
