import type { NextRequest } from "next/server";
import { authenticateAs } from "@/lib/server/api-auth";
import { errorResponse, jsonResponse, respond } from "@/lib/server/http";
import { restoreConfig } from "@/lib/server/config-restore";
import { startReload } from "@/lib/server/reloads";
import { getSnapshotSource, parseSnapshotVersion } from "@/lib/server/snapshot-history";
import { actorOf } from "@/lib/server/principal";

/** Rollback: the saved configuration goes back to an applied snapshot, then reloads as a new version (202 + job). */
export async function POST(req: NextRequest, ctx: { params: Promise<{ version: string }> }) {
  const auth = await authenticateAs(req, "operator");
  if (!auth.ok) return auth.response;
  const parsed = parseSnapshotVersion((await ctx.params).version);
  if (!parsed.ok) return respond(parsed);
  const version = parsed.value;
  const found = await getSnapshotSource(version);
  if (!found) return errorResponse("not_found", `No snapshot version ${version}`);
  if (found.outcome !== "applied")
    return errorResponse(
      "conflict",
      `Version ${version} was never applied (${found.outcome}); roll back to an applied version`,
    );
  const actor = actorOf(auth.principal);
  await restoreConfig(found.source, actor, "config.rollback-restore", { to: version });
  const job = startReload(actor, version);
  return job
    ? jsonResponse(job, 202)
    : errorResponse(
        "conflict",
        "A reload is already running; the configuration was restored and is pending: reload when it finishes",
      );
}
