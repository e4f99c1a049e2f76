import type { NextRequest } from "next/server";
import { authenticateAs } from "@/lib/server/api-auth";
import { errorResponse, respond } from "@/lib/server/http";
import { getSnapshot } from "@/lib/server/snapshot-history";

export async function GET(req: NextRequest, ctx: { params: Promise<{ version: string }> }) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  const version = Number((await ctx.params).version);
  if (!Number.isInteger(version) || version < 0) return errorResponse("validation", "version must be a whole number");
  return respond(await getSnapshot(version));
}
