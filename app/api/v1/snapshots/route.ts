import type { NextRequest } from "next/server";
import { z } from "zod";
import { authenticateAs } from "@/lib/server/api-auth";
import { jsonResponse, parseSearchParams } from "@/lib/server/http";
import { listSnapshots } from "@/lib/server/snapshot-history";

const querySchema = z.object({
  page: z.coerce.number({ error: "page must be a number" }).int().min(1, "page must be 1 or more").default(1),
  pageSize: z.coerce
    .number({ error: "pageSize must be a number" })
    .int()
    .min(1)
    .max(200, "pageSize must be at most 200")
    .default(50),
});

/** Reload history: every snapshot with who, when, outcome and reasons. */
export async function GET(req: NextRequest) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  const query = parseSearchParams(req, querySchema);
  if (!query.ok) return query.response;
  return jsonResponse(await listSnapshots(query.data.page, query.data.pageSize));
}
