import type { NextRequest } from "next/server";
import { authenticateAs } from "@/lib/server/api-auth";
import { jsonResponse } from "@/lib/server/http";
import { listPendingChanges } from "@/lib/server/pending";

/** The pending diff against what the engine runs, field by field; secrets only as "(changed)". */
export async function GET(req: NextRequest) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  return jsonResponse({ items: await listPendingChanges() });
}
