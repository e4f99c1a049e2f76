import type { NextRequest } from "next/server";
import { authenticateAs } from "@/lib/server/api-auth";
import { revokeApiToken } from "@/lib/server/api-tokens";
import { respond } from "@/lib/server/http";
import { actorOf } from "@/lib/server/principal";

type Ctx = { params: Promise<{ id: string }> };

/** Revoke: the token stops working at once; the row stays for the audit trail. */
export async function DELETE(req: NextRequest, ctx: Ctx) {
  const auth = await authenticateAs(req, "admin");
  if (!auth.ok) return auth.response;
  return respond(await revokeApiToken((await ctx.params).id, actorOf(auth.principal)));
}
