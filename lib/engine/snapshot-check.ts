import { createHash } from "node:crypto";
import { canonicalJson, configSnapshotSchema, type ConfigSnapshot } from "@/lib/domain/config-snapshot";

export type SnapshotCheck = { ok: true; snapshot: ConfigSnapshot } | { ok: false; reasons: string[] };

export function hashSnapshotContent(snapshot: Pick<ConfigSnapshot, "parameters" | "mappingGateways" | "routingGateways">): string {
  const { parameters, mappingGateways, routingGateways } = snapshot;
  return createHash("sha256").update(canonicalJson({ parameters, mappingGateways, routingGateways })).digest("hex");
}

/** Rules that span gateways, checked again here: the engine never runs an ambiguous configuration. */
function crossEntityReasons(s: ConfigSnapshot): string[] {
  const reasons: string[] = [];
  const sources = new Map<string, string>();
  const usernames = new Map<string, string>();
  for (const g of s.mappingGateways) {
    if (g.authMode === "password") {
      const other = usernames.get(g.digestUsername);
      if (other) reasons.push(`mapping gateways "${other}" and "${g.name}" share the digest username "${g.digestUsername}"`);
      usernames.set(g.digestUsername, g.name);
      if (g.ha1Md5 === null) reasons.push(`mapping gateway "${g.name}" is in Password mode without a password`);
    }
    if (!g.enabled || g.authMode === "password") continue;
    for (const ip of g.ipAddresses) {
      const key = g.authMode === "ip" ? ip : `${ip} port ${g.port}`;
      const other = sources.get(`${g.authMode}|${key}`);
      if (other) reasons.push(`mapping gateways "${other}" and "${g.name}" both claim source ${key}`);
      sources.set(`${g.authMode}|${key}`, g.name);
    }
  }
  for (const r of s.routingGateways) {
    if (r.kind === "dynamic" && r.authUsername && usernames.has(r.authUsername)) {
      reasons.push(`dynamic routing gateway "${r.name}" uses the digest username "${r.authUsername}" of mapping gateway "${usernames.get(r.authUsername)}"`);
    }
  }
  return reasons;
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
