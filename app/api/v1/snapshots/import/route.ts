import type { NextRequest } from "next/server";
import { importConfigSchema } from "@/lib/domain/config-file";
import { authenticateAs } from "@/lib/server/api-auth";
import { jsonResponse, parseJsonBody, respond } from "@/lib/server/http";
import { FILE_LIMIT_BYTES } from "@/lib/server/request-body";
import { keepUnchangedSecrets, readConfigFile } from "@/lib/server/config-file";
import { loadCurrentSource } from "@/lib/server/config-source";
import { getActiveSource } from "@/lib/server/config-snapshots";
import { restoreConfig } from "@/lib/server/config-restore";
import { actorOf } from "@/lib/server/principal";

/** A configuration file becomes pending edits (review them, then reload). */
export async function POST(req: NextRequest) {
  const auth = await authenticateAs(req, "operator");
  if (!auth.ok) return auth.response;
  // A configuration file of tens of thousands of gateways: the file ceiling, not the JSON one
  const body = await parseJsonBody(req, importConfigSchema, FILE_LIMIT_BYTES);
  if (!body.ok) return body.response;
  const read = readConfigFile(body.data.file, body.data.passphrase);
  if (!read.ok) return respond(read);
  const source = keepUnchangedSecrets(read.value, [await loadCurrentSource(), await getActiveSource()]);
  return jsonResponse(await restoreConfig(source, actorOf(auth.principal), "config.import"));
}
