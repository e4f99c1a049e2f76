import type { NextRequest } from "next/server";
import { auditQuerySchema } from "@/lib/domain/audit";
import { authenticateAs } from "@/lib/server/api-auth";
import { listAudit } from "@/lib/server/audit";
import { jsonResponse, parseSearchParams } from "@/lib/server/http";

export async function GET(req: NextRequest) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  const query = parseSearchParams(req, auditQuerySchema);
  if (!query.ok) return query.response;
  return jsonResponse(await listAudit(query.data));
}
