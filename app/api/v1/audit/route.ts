import type { NextRequest } from "next/server";
import { auditQuerySchema } from "@/lib/domain/audit";
import { authenticate, authorize } from "@/lib/server/api-auth";
import { listAudit } from "@/lib/server/audit";
import { jsonResponse, parseSearchParams } from "@/lib/server/http";

export async function GET(req: NextRequest) {
  const auth = await authenticate(req);
  if (!auth.ok) return auth.response;
  const denied = authorize(auth.principal, "viewer");
  if (denied) return denied;
  const query = parseSearchParams(req, auditQuerySchema);
  if (!query.ok) return query.response;
  return jsonResponse(await listAudit(query.data));
}
