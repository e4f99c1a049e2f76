import type { NextRequest } from "next/server";
import { updateOperatorSchema } from "@/lib/domain/operator";
import { authenticateAs } from "@/lib/server/api-auth";
import { parseJsonBody, respond } from "@/lib/server/http";
import { getOperator, updateOperator } from "@/lib/server/operators";
import { actorOf } from "@/lib/server/principal";

type Ctx = { params: Promise<{ id: string }> };

export async function GET(req: NextRequest, ctx: Ctx) {
  const auth = await authenticateAs(req, "admin");
  if (!auth.ok) return auth.response;
  return respond(await getOperator((await ctx.params).id));
}

/** Change role, disable/enable, or reset the password; carries the version it was based on. */
export async function PATCH(req: NextRequest, ctx: Ctx) {
  const auth = await authenticateAs(req, "admin");
  if (!auth.ok) return auth.response;
  const body = await parseJsonBody(req, updateOperatorSchema);
  if (!body.ok) return body.response;
  return respond(await updateOperator((await ctx.params).id, body.data, actorOf(auth.principal)));
}
