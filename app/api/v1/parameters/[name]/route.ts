import type { NextRequest } from "next/server";
import { resetParameterQuerySchema, updateParameterSchema } from "@/lib/domain/parameter-api";
import { authenticateAs } from "@/lib/server/api-auth";
import { parseJsonBody, parseSearchParams, respond } from "@/lib/server/http";
import { getParameter, resetParameter, setParameter } from "@/lib/server/parameters";
import { actorOf } from "@/lib/server/principal";

type Ctx = { params: Promise<{ name: string }> };

export async function GET(req: NextRequest, ctx: Ctx) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  return respond(await getParameter((await ctx.params).name));
}

/** Saves a pending value (effective at the next Reload). */
export async function PATCH(req: NextRequest, ctx: Ctx) {
  const auth = await authenticateAs(req, "operator");
  if (!auth.ok) return auth.response;
  const body = await parseJsonBody(req, updateParameterSchema);
  if (!body.ok) return body.response;
  return respond(await setParameter((await ctx.params).name, body.data, actorOf(auth.principal)));
}

/** Back to the default (pending until Reload); `?version=` is the version it was based on. */
export async function DELETE(req: NextRequest, ctx: Ctx) {
  const auth = await authenticateAs(req, "operator");
  if (!auth.ok) return auth.response;
  const query = parseSearchParams(req, resetParameterQuerySchema);
  if (!query.ok) return query.response;
  return respond(await resetParameter((await ctx.params).name, query.data.version, actorOf(auth.principal)));
}
