import { createHash } from "node:crypto";
import { canonicalJson, configSnapshotSchema, type ConfigSnapshot } from "@/lib/domain/config-snapshot";
import { crossEntityReasons } from "@/lib/domain/snapshot-rules";

export type SnapshotCheck = { ok: true; snapshot: ConfigSnapshot } | { ok: false; reasons: string[] };

export function hashSnapshotContent(snapshot: Pick<ConfigSnapshot, "parameters" | "mappingGateways" | "routingGateways">): string {
  const { parameters, mappingGateways, routingGateways } = snapshot;
  return createHash("sha256").update(canonicalJson({ parameters, mappingGateways, routingGateways })).digest("hex");
}

/** All or nothing: the snapshot is well formed, newer than what runs, intact, and unambiguous. */
export function checkSnapshot(input: unknown, runningVersion: number): SnapshotCheck {
  const parsed = configSnapshotSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reasons: parsed.error.issues.map((i) => `${i.path.join(".") || "snapshot"}: ${i.message}`) };
  const snapshot = parsed.data;
  const reasons: string[] = [];
  if (snapshot.version <= runningVersion) reasons.push(`version ${snapshot.version} is not above the running version ${runningVersion}`);
  if (hashSnapshotContent(snapshot) !== snapshot.hash) reasons.push("hash does not match the content (the snapshot was altered or built wrongly)");
  reasons.push(...crossEntityReasons(snapshot));
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, snapshot };
}
