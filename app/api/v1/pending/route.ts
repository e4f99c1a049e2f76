import type { NextRequest } from "next/server";
import { authenticateAs } from "@/lib/server/api-auth";
import { jsonResponse } from "@/lib/server/http";
import { summarisePending } from "@/lib/server/pending";

/** What the header badge shows: saved changes the engine does not run yet. */
export async function GET(req: NextRequest) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  return jsonResponse(await summarisePending());
}
