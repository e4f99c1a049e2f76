import { createHash } from "node:crypto";
import { z } from "zod";
import {
  configSnapshotSchema, snapshotMappingGatewaySchema, snapshotRoutingGatewaySchema, writeCanonicalContent, type ConfigSnapshot,
} from "@/lib/domain/config-snapshot";
import { crossEntityReasons } from "@/lib/domain/snapshot-rules";

export type SnapshotCheck = { ok: true; snapshot: ConfigSnapshot } | { ok: false; reasons: string[] };

type Content = Pick<ConfigSnapshot, "parameters" | "mappingGateways" | "routingGateways">;

function contentHash({ parameters, mappingGateways, routingGateways }: Content, memo?: WeakMap<object, string>): string {
  const hash = createHash("sha256");
  writeCanonicalContent({ parameters, mappingGateways, routingGateways }, (piece) => hash.update(piece), memo);
  return hash.digest("hex");
}

export function hashSnapshotContent(snapshot: Content): string {
  return contentHash(snapshot);
}

// The canonical text of each gateway checkSnapshot returned, kept while its object lives: gateways a
// reload leaves unchanged are the running objects (parseGateways), never modified, so their text is
// not written again.
const gatewayTexts = new WeakMap<object, string>();

/**
 * For a snapshot the engine runs without checkSnapshot having returned it (the one loaded from
 * disk at start-up): hashes it as checkSnapshot would, keeping each gateway's canonical text, so
 * that the first reload after a start writes only the text of gateways it changes (issue 7).
 * True when the content matches the snapshot's hash.
 */
export function primeSnapshotCache(snapshot: ConfigSnapshot): boolean {
  return contentHash(snapshot, gatewayTexts) === snapshot.hash;
}

/** Everything but the gateways, which parseGateways checks one by one. */
const headSchema = configSnapshotSchema.extend({ mappingGateways: z.array(z.unknown()).default([]), routingGateways: z.array(z.unknown()).default([]) });

const issueLines = (issues: z.core.$ZodIssue[], prefix: PropertyKey[] = []) => issues.map((i) => `${[...prefix, ...i.path].join(".") || "snapshot"}: ${i.message}`);

/** True when `raw` holds `valid`'s value under each of its keys (keys `valid` lacks are what a parse drops). */
function holdsSame(raw: unknown, valid: unknown): boolean {
  if (raw === valid) return true;
  if (typeof raw !== "object" || typeof valid !== "object" || raw === null || valid === null) return false;
  if (Array.isArray(valid) !== Array.isArray(raw) || (Array.isArray(valid) && valid.length !== (raw as unknown[]).length)) return false;
  const [r, v] = [raw as Record<string, unknown>, valid as Record<string, unknown>];
  for (const key in v) if (r[key] !== v[key] && !holdsSame(r[key], v[key])) return false;
  return true;
}

/**
 * A reload usually changes a few of thousands of gateways (issue 7: 30,000 take 60–100 ms to
 * parse): one equal to the running gateway of the same id is that gateway, already parsed. The
 * gateway schemas have no defaults or transforms, so equal values parse to equal values.
 */
function parseGateways<T extends { id: string }>(items: unknown[], schema: z.ZodType<T>, running: readonly T[], path: string, reasons: string[]): T[] {
  const runningById = new Map(running.map((g) => [g.id, g]));
  return items.map((item, i) => {
    const same = runningById.get((item as { id?: string } | null)?.id ?? "");
    if (same && holdsSame(item, same)) return same;
    const parsed = schema.safeParse(item);
    if (!parsed.success) reasons.push(...issueLines(parsed.error.issues, [path, i]));
    return parsed.data as T;
  });
}

/** All or nothing: the snapshot is well formed, newer than what runs, intact, and unambiguous. */
export function checkSnapshot(input: unknown, running: ConfigSnapshot): SnapshotCheck {
  const head = headSchema.safeParse(input);
  if (!head.success) {
    // Every problem at once, the gateways' included.
    const full = configSnapshotSchema.safeParse(input);
    return { ok: false, reasons: issueLines(full.success ? head.error.issues : full.error.issues) };
  }
  const reasons: string[] = [];
  const snapshot: ConfigSnapshot = {
    ...head.data,
    mappingGateways: parseGateways(head.data.mappingGateways, snapshotMappingGatewaySchema, running.mappingGateways, "mappingGateways", reasons),
    routingGateways: parseGateways(head.data.routingGateways, snapshotRoutingGatewaySchema, running.routingGateways, "routingGateways", reasons),
  };
  if (reasons.length > 0) return { ok: false, reasons };
  if (snapshot.version <= running.version) reasons.push(`version ${snapshot.version} is not above the running version ${running.version}`);
  if (contentHash(snapshot, gatewayTexts) !== snapshot.hash) reasons.push("hash does not match the content (the snapshot was altered or built wrongly)");
  reasons.push(...crossEntityReasons(snapshot));
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, snapshot };
}
