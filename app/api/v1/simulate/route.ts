import type { NextRequest } from "next/server";
import { simulateRequestSchema } from "@/lib/domain/route-simulation";
import { authenticateAs } from "@/lib/server/api-auth";
import { parseJsonBody, respond } from "@/lib/server/http";
import { simulateRoute } from "@/lib/server/route-simulator";

/** Route and auth simulator: a dry run of one request against the running and the pending configuration. */
export async function POST(req: NextRequest) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  const body = await parseJsonBody(req, simulateRequestSchema);
  if (!body.ok) return body.response;
  return respond(await simulateRoute(body.data));
}
