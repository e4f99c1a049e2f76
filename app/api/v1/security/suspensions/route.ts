import type { NextRequest } from "next/server";
import { liftSuspensionSchema } from "@/lib/domain/control-api";
import { authenticateAs } from "@/lib/server/api-auth";
import { parseSearchParams, respond } from "@/lib/server/http";
import { actorOf } from "@/lib/server/principal";
import { liftSourceSuspension } from "@/lib/server/security";

/** Lifts the suspension of `?source=` (audited): it is answered again at once. */
export async function DELETE(req: NextRequest) {
  const auth = await authenticateAs(req, "operator");
  if (!auth.ok) return auth.response;
  const query = parseSearchParams(req, liftSuspensionSchema);
  if (!query.ok) return query.response;
  return respond(await liftSourceSuspension(actorOf(auth.principal), query.data.source));
}
