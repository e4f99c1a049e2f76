import { db } from "@/lib/server/db";
import { sha256Hex } from "@/lib/server/crypto";
import { canonicalJson, configSnapshotSchema, type ConfigContent, type ConfigSnapshot } from "@/lib/domain/config-snapshot";
import { defaultParameterValues, type ParameterValue } from "@/lib/domain/parameter-catalog";

export function hashConfigContent(content: ConfigContent): string {
  return sha256Hex(canonicalJson(content));
}

function versionZeroContent(): ConfigContent {
  return { parameters: defaultParameterValues(), mappingGateways: [], routingGateways: [] };
}

/** Version 0 = the catalog defaults and no gateways, made on first start (DESIGN.md). */
export async function ensureVersionZero(): Promise<void> {
  if ((await db.configSnapshot.count()) > 0) return;
  const content = versionZeroContent();
  await db.configSnapshot.create({
    data: { version: 0, hash: hashConfigContent(content), json: JSON.stringify(content), createdBy: "system", outcome: "applied" },
  });
}

// Snapshots are immutable: the parsed active one is kept until a newer one is applied.
let cached: ConfigSnapshot | undefined;

/** The configuration the engine runs: the newest snapshot it accepted. */
export async function getActiveSnapshot(): Promise<ConfigSnapshot> {
  const newest = await db.configSnapshot.findFirst({ where: { outcome: "applied" }, orderBy: { version: "desc" }, select: { version: true, hash: true } });
  if (!newest) {
    const content = versionZeroContent();
    return { version: 0, hash: hashConfigContent(content), createdAt: new Date(0).toISOString(), ...content };
  }
  if (cached?.version === newest.version && cached.hash === newest.hash) return cached;
  const row = await db.configSnapshot.findUniqueOrThrow({ where: { version: newest.version } });
  const content = JSON.parse(row.json) as ConfigContent;
  // Parameters added to the catalog after this snapshot was made run at their default.
  const parameters = { ...defaultParameterValues(), ...content.parameters };
  cached = configSnapshotSchema.parse({ ...content, parameters, version: row.version, hash: row.hash, createdAt: row.createdAt.toISOString() });
  return cached;
}

export async function getActiveParameterValue(name: string): Promise<ParameterValue> {
  const active = await getActiveSnapshot();
  return active.parameters[name];
}
