import type { NextRequest } from "next/server";
import { exportSnapshotSchema } from "@/lib/domain/config-file";
import { authenticateAs } from "@/lib/server/api-auth";
import { errorResponse, fileResponse, parseJsonBody, respond } from "@/lib/server/http";
import { exportConfigFile } from "@/lib/server/config-file";
import { getSnapshotSource, parseSnapshotVersion } from "@/lib/server/snapshot-history";
import { recordAudit } from "@/lib/server/audit";
import { db } from "@/lib/server/db";
import { actorOf } from "@/lib/server/principal";

/** A snapshot as a file: passwords left out, or encrypted with the operator's passphrase. */
export async function POST(req: NextRequest, ctx: { params: Promise<{ version: string }> }) {
  const auth = await authenticateAs(req, "operator");
  if (!auth.ok) return auth.response;
  const parsed = parseSnapshotVersion((await ctx.params).version);
  if (!parsed.ok) return respond(parsed);
  const version = parsed.value;
  const body = await parseJsonBody(req, exportSnapshotSchema);
  if (!body.ok) return body.response;
  const found = await getSnapshotSource(version);
  if (!found) return errorResponse("not_found", `No snapshot version ${version}`);
  const file = exportConfigFile(found.source, version, body.data.secrets, body.data.passphrase);
  // The mode in clear ("mode", not "secrets": the audit log masks every key that looks like a secret).
  await recordAudit(db, actorOf(auth.principal), {
    action: "config.export",
    entityType: "config",
    entityId: String(version),
    after: { version, mode: body.data.secrets },
  });
  return fileResponse(JSON.stringify(file, null, 2), {
    "Content-Type": "application/json",
    "Content-Disposition": `attachment; filename="softswitch-config-v${version}.json"`,
  });
}
