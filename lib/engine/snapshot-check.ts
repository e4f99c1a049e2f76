import { createHash } from "node:crypto";
import { z } from "zod";
import {
  canonicalContentChunks,
  configSnapshotSchema,
  snapshotMappingGatewaySchema,
  snapshotRoutingGatewaySchema,
  type ConfigSnapshot,
} from "@/lib/domain/config-snapshot";
import { snapshotDeltaSchema } from "@/lib/domain/control-api";
import { crossEntityReasons } from "@/lib/domain/snapshot-rules";

export type SnapshotCheck =
  { ok: true; snapshot: ConfigSnapshot; contentChunks: string[] } | { ok: false; reasons: string[] };

type Content = Pick<ConfigSnapshot, "parameters" | "mappingGateways" | "routingGateways">;
type Head = Omit<ConfigSnapshot, "mappingGateways" | "routingGateways">;

/** The hash of the canonical content, and that content in the pieces it was hashed from. */
function hashedContent(
  { parameters, mappingGateways, routingGateways }: Content,
  memo?: WeakMap<object, string>,
): { hash: string; chunks: string[] } {
  const chunks = canonicalContentChunks({ parameters, mappingGateways, routingGateways }, memo);
  const hash = createHash("sha256");
  for (const chunk of chunks) hash.update(chunk);
  return { hash: hash.digest("hex"), chunks };
}

export function hashSnapshotContent(snapshot: Content): string {
  return hashedContent(snapshot).hash;
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
  return hashedContent(snapshot, gatewayTexts).hash === snapshot.hash;
}

/** Everything but the gateways, which parseGateways checks one by one. */
const headSchema = configSnapshotSchema.extend({
  mappingGateways: z.array(z.unknown()).default([]),
  routingGateways: z.array(z.unknown()).default([]),
});

const issueLines = (issues: z.core.$ZodIssue[], prefix: PropertyKey[] = []) =>
  issues.map((i) => `${[...prefix, ...i.path].join(".") || "snapshot"}: ${i.message}`);

/** True when `raw` holds `valid`'s value under each of its keys (keys `valid` lacks are what a parse drops). */
function holdsSame(raw: unknown, valid: unknown): boolean {
  if (raw === valid) return true;
  if (typeof raw !== "object" || typeof valid !== "object" || raw === null || valid === null) return false;
  if (
    Array.isArray(valid) !== Array.isArray(raw) ||
    (Array.isArray(valid) && valid.length !== (raw as unknown[]).length)
  )
    return false;
  const [r, v] = [raw as Record<string, unknown>, valid as Record<string, unknown>];
  for (const key in v) if (r[key] !== v[key] && !holdsSame(r[key], v[key])) return false;
  return true;
}

// The running gateways by id, built once per running snapshot: a difference resolves its ids
// with it, then the check looks up each gateway's running twin.
const indexes = new WeakMap<readonly object[], Map<string, unknown>>();
function byId<T extends { id: string }>(gateways: readonly T[]): Map<string, T> {
  let index = indexes.get(gateways);
  if (!index) indexes.set(gateways, (index = new Map(gateways.map((g) => [g.id, g]))));
  return index as Map<string, T>;
}

/**
 * A reload usually changes a few of thousands of gateways (issue 7: 30,000 take 60–100 ms to
 * parse): one equal to the running gateway of the same id is that gateway, already parsed. The
 * gateway schemas have no defaults or transforms, so equal values parse to equal values.
 */
function parseGateways<T extends { id: string }>(
  items: unknown[],
  schema: z.ZodType<T>,
  running: readonly T[],
  path: string,
  reasons: string[],
): T[] {
  const runningById = byId(running);
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
  const { mappingGateways, routingGateways, ...rest } = head.data;
  return checkGateways(rest, mappingGateways, routingGateways, running);
}

/**
 * A snapshot sent as its difference from the running one (snapshotDeltaSchema): rebuilt from the
 * gateways sent and the running ones, then checked as a whole snapshot is. Refused when it was
 * built on another snapshot than the running one: the console then has to send the whole.
 */
export function checkSnapshotDelta(input: unknown, running: ConfigSnapshot): SnapshotCheck {
  const delta = snapshotDeltaSchema.safeParse(input);
  if (!delta.success) return { ok: false, reasons: issueLines(delta.error.issues) };
  const { base, mappingGatewayIds, routingGatewayIds, mappingGateways, routingGateways, ...head } = delta.data;
  if (base.version !== running.version || base.hash !== running.hash) {
    const name = (s: { version: number; hash: string }) => `version ${s.version} (${s.hash.slice(0, 12)})`;
    return {
      ok: false,
      reasons: [
        `the difference was built on ${name(base)}, but the engine runs ${name(running)}: send the whole snapshot`,
      ],
    };
  }
  const reasons: string[] = [];
  const mappingItems = itemsInOrder(mappingGatewayIds, mappingGateways, running.mappingGateways, "mapping", reasons);
  const routingItems = itemsInOrder(routingGatewayIds, routingGateways, running.routingGateways, "routing", reasons);
  return reasons.length > 0 ? { ok: false, reasons } : checkGateways(head, mappingItems, routingItems, running);
}

/** The new snapshot's gateways in the order of `ids`: the one sent with that id, else the running one. */
function itemsInOrder(
  ids: string[],
  sent: Array<{ id: string }>,
  running: ReadonlyArray<{ id: string }>,
  kind: string,
  reasons: string[],
): unknown[] {
  const sentById = new Map(sent.map((g) => [g.id, g]));
  const runningById = byId(running);
  const items = ids.map((id) => {
    const item = sentById.get(id) ?? runningById.get(id);
    if (item === undefined) reasons.push(`${kind}GatewayIds: ${id} is neither sent nor running`);
    return item;
  });
  const listed = new Set(ids);
  if (listed.size !== ids.length)
    reasons.push(`${kind}GatewayIds: ${ids.length - listed.size} id(s) listed more than once`);
  for (const g of sent)
    if (!listed.has(g.id)) reasons.push(`${kind}Gateways: ${g.id} is sent but not in ${kind}GatewayIds`);
  return items;
}

function checkGateways(
  head: Head,
  mappingItems: unknown[],
  routingItems: unknown[],
  running: ConfigSnapshot,
): SnapshotCheck {
  const reasons: string[] = [];
  const snapshot: ConfigSnapshot = {
    ...head,
    mappingGateways: parseGateways(
      mappingItems,
      snapshotMappingGatewaySchema,
      running.mappingGateways,
      "mappingGateways",
      reasons,
    ),
    routingGateways: parseGateways(
      routingItems,
      snapshotRoutingGatewaySchema,
      running.routingGateways,
      "routingGateways",
      reasons,
    ),
  };
  if (reasons.length > 0) return { ok: false, reasons };
  if (snapshot.version <= running.version)
    reasons.push(`version ${snapshot.version} is not above the running version ${running.version}`);
  const content = hashedContent(snapshot, gatewayTexts);
  if (content.hash !== snapshot.hash)
    reasons.push("hash does not match the content (the snapshot was altered or built wrongly)");
  reasons.push(...crossEntityReasons(snapshot));
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, snapshot, contentChunks: content.chunks };
}
