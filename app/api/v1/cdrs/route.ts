import type { NextRequest } from "next/server";
import { cdrListQuerySchema } from "@/lib/domain/cdr-query";
import { authenticateAs } from "@/lib/server/api-auth";
import { fileResponse, jsonResponse, parseSearchParams } from "@/lib/server/http";
import { cdrsAsCsv, listCdrs } from "@/lib/server/cdrs";

/** Call records: filters, paging, totals (calls, ASR, ACD); `Accept: text/csv` gives every matching record as CSV. */
export async function GET(req: NextRequest) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  const query = parseSearchParams(req, cdrListQuerySchema);
  if (!query.ok) return query.response;
  if (req.headers.get("accept")?.includes("text/csv")) {
    return fileResponse(await cdrsAsCsv(query.data), {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="call-records.csv"',
    });
  }
  return jsonResponse(await listCdrs(query.data));
}
