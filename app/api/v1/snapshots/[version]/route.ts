import type { NextRequest } from "next/server";
import { authenticateAs } from "@/lib/server/api-auth";
import { respond } from "@/lib/server/http";
import { getSnapshot, parseSnapshotVersion } from "@/lib/server/snapshot-history";

export async function GET(req: NextRequest, ctx: { params: Promise<{ version: string }> }) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  const version = parseSnapshotVersion((await ctx.params).version);
  if (!version.ok) return respond(version);
  return respond(await getSnapshot(version.value));
}
