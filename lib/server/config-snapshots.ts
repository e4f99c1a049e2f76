import { db } from "@/lib/server/db";
import { decryptSecret, encryptSecret } from "@/lib/server/secret-box";
import { buildEngineSnapshot, emptySource } from "@/lib/server/config-source";
import { configSnapshotSchema, type ConfigSnapshot } from "@/lib/domain/config-snapshot";
import type { ConfigSource } from "@/lib/domain/config-source";
import { defaultParameterValues, type ParameterValue } from "@/lib/domain/parameter-catalog";
import type { ConfigSnapshot as SnapshotRow } from "@/generated/prisma/client";

// Snapshots as the console keeps them: the engine's JSON encrypted (HA1 values, carrier
// passwords), the console's source view beside it. The active one is the newest the engine accepted.

/** `snapshotJson`: the engine's snapshot as JSON text, as pushed. */
export function sealSnapshot(snapshotJson: string): string {
  return encryptSecret(snapshotJson);
}

export function openSnapshot(row: Pick<SnapshotRow, "json">): ConfigSnapshot {
  return configSnapshotSchema.parse(JSON.parse(row.json.startsWith("v1:") ? decryptSecret(row.json) : row.json));
}

export function sourceOf(row: Pick<SnapshotRow, "sourceJson">): ConfigSource {
  if (!row.sourceJson) return emptySource();
  const source = JSON.parse(row.sourceJson) as ConfigSource;
  // Parameters added to the catalog after this snapshot was made run at their default; routing-gateway
  // fields added since take the value their migration gave existing rows, so neither shows as pending.
  return {
    ...source,
    parameters: { ...defaultParameterValues(), ...source.parameters },
    routingGateways: source.routingGateways.map((g) => ({
      ...g,
      failoverOnAuthFailure: g.failoverOnAuthFailure ?? true,
    })),
  };
}

/** Version 0 = the catalog defaults and no gateways, made on first start (DESIGN.md). */
export async function ensureVersionZero(): Promise<void> {
  if ((await db.configSnapshot.count()) > 0) return;
  const source = emptySource();
  const snapshot = buildEngineSnapshot(source, 0, new Date(0));
  await db.configSnapshot.create({
    data: {
      version: 0,
      hash: snapshot.hash,
      json: sealSnapshot(JSON.stringify(snapshot)),
      sourceJson: JSON.stringify(source),
      createdBy: "system",
      outcome: "applied",
    },
  });
}

export type ActiveSnapshotMeta = { version: number; hash: string; createdAt: string };

export async function getActiveMeta(): Promise<ActiveSnapshotMeta> {
  const row = await db.configSnapshot.findFirst({
    where: { outcome: "applied" },
    orderBy: { version: "desc" },
    select: { version: true, hash: true, createdAt: true },
  });
  if (!row)
    return {
      version: 0,
      hash: buildEngineSnapshot(emptySource(), 0, new Date(0)).hash,
      createdAt: new Date(0).toISOString(),
    };
  return { version: row.version, hash: row.hash, createdAt: row.createdAt.toISOString() };
}

// Snapshots are immutable: the parsed active source is kept until a newer one is applied.
let cached: { version: number; source: ConfigSource } | undefined;

/** After a reload the engine accepted: its source is the one the reload read, no need to parse it back. */
export function rememberActiveSource(version: number, source: ConfigSource): void {
  cached = { version, source };
}

/** What the engine runs, in the console's terms. */
export async function getActiveSource(): Promise<ConfigSource> {
  const meta = await getActiveMeta();
  if (cached?.version === meta.version) return cached.source;
  const row = await db.configSnapshot.findUnique({ where: { version: meta.version }, select: { sourceJson: true } });
  const source = row ? sourceOf(row) : emptySource();
  cached = { version: meta.version, source };
  return source;
}

/** The engine's own snapshot of the active version (secrets included), to push to an engine that lacks it. */
export async function getActiveEngineSnapshot(): Promise<ConfigSnapshot | null> {
  const meta = await getActiveMeta();
  const row = await db.configSnapshot.findUnique({ where: { version: meta.version }, select: { json: true } });
  return row ? openSnapshot(row) : null;
}

export async function getActiveParameterValue(name: string): Promise<ParameterValue> {
  return (await getActiveSource()).parameters[name];
}
