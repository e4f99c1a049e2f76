import type { NextRequest } from "next/server";
import { authenticate, authorize } from "@/lib/server/api-auth";
import { jsonResponse } from "@/lib/server/http";
import { buildOpenApiDocument } from "@/lib/server/openapi";

export async function GET(req: NextRequest) {
  const auth = await authenticate(req);
  if (!auth.ok) return auth.response;
  const denied = authorize(auth.principal, "viewer");
  if (denied) return denied;
  return jsonResponse(buildOpenApiDocument());
}
