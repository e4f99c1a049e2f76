import type { NextRequest } from "next/server";
import { authenticateAs } from "@/lib/server/api-auth";
import { jsonResponse } from "@/lib/server/http";
import { buildOpenApiDocument } from "@/lib/server/openapi";

export async function GET(req: NextRequest) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  return jsonResponse(buildOpenApiDocument());
}
