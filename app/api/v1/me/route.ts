import type { NextRequest } from "next/server";
import { authenticate } from "@/lib/server/api-auth";
import { jsonResponse } from "@/lib/server/http";

export async function GET(req: NextRequest) {
  const auth = await authenticate(req);
  if (!auth.ok) return auth.response;
  const p = auth.principal;
  const name = p.kind === "session" ? p.username : p.name;
  return jsonResponse({ kind: p.kind, name, role: p.role });
}
