import type { SnapshotMappingGateway, SnapshotRoutingGateway } from "@/lib/domain/config-snapshot";
import type { Remote } from "@/lib/engine/transport/remote";

// Which carriers a call may go to (issue 8 "Routing", DESIGN.md "Routing gateways"): the mapping
// gateway's deny then allow lists and rewrites, then the routing gateways by longest matching
// prefix (prefix mode stop / continue), priority and free capacity, then their own rewrites.
// Pure: live call counts and registered contacts come in as functions.

export type Rewrite = { readonly strip: number; readonly prefix: string };

/** Strip `strip` leading characters, then put `prefix` in front (the console's rewrite rule). */
export function applyRewrite(number: string, rule: Rewrite): string {
  return rule.prefix + number.slice(Math.min(rule.strip, number.length));
}

export type RouteCandidate = {
  readonly gateway: SnapshotRoutingGateway;
  /** Where the INVITE goes: the gateway's address, or a dynamic gateway's registered contact. */
  readonly target: Remote;
  /** Callee and caller after the mapping gateway's and then this gateway's rewrites. */
  readonly callee: string;
  readonly caller: string;
  /** Length of the longest prefix of this gateway the callee matched (0: catch-all). */
  readonly matchLength: number;
};

export type RouteSelection =
  | { readonly ok: true; readonly candidates: readonly RouteCandidate[] }
  | { readonly ok: false; readonly status: 403 | 404 | 503; readonly reason: string };

export type RouteInput = {
  readonly mapping: SnapshotMappingGateway;
  readonly routing: readonly SnapshotRoutingGateway[];
  /** The Request-URI user part, as received. */
  readonly callee: string;
  /** The From user part, as received. */
  readonly caller: string;
  /** Live calls through a gateway (mapping or routing), counted both ways. */
  readonly liveCalls: (gatewayId: string) => number;
  /** A dynamic routing gateway's registered contact, or null when it is not registered. */
  readonly contactOf: (routingGatewayId: string) => Remote | null;
};

/** Length of the longest prefix in `prefixes` that `number` starts with; 0 for an empty list; -1: none. */
export function longestPrefixMatch(number: string, prefixes: readonly string[]): number {
  if (prefixes.length === 0) return 0;
  let best = -1;
  for (const p of prefixes) if (p.length > best && number.startsWith(p)) best = p.length;
  return best;
}

function hasFreeCapacity(capacity: number, live: number): boolean {
  // capacity 0 = unlimited (the console's "0 = unlimited")
  return capacity <= 0 || live < capacity;
}

/** Calls a gateway may still take; Infinity when unlimited. */
export function freeCapacity(capacity: number, live: number): number {
  return capacity <= 0 ? Number.POSITIVE_INFINITY : capacity - live;
}

/** Where an INVITE to `g` goes; null when there is nowhere (an unregistered dynamic gateway, no address). */
export function targetOf(g: SnapshotRoutingGateway, contactOf: RouteInput["contactOf"]): Remote | null {
  // Dynamic gateways are reached at their registered contact; static and register-out at their address
  if (g.kind === "dynamic") return contactOf(g.id);
  if (g.address === null) return null;
  return { transport: g.transport, address: g.address, port: g.port };
}

export function selectRoutes(input: RouteInput): RouteSelection {
  const { mapping } = input;
  // Deny first: a denied prefix refuses the call even when the allow list would let it through
  if (mapping.calleeDenyPrefixes.some((p) => input.callee.startsWith(p)))
    return { ok: false, status: 403, reason: "Callee Denied" };
  if (mapping.calleeAllowPrefixes.length > 0 && !mapping.calleeAllowPrefixes.some((p) => input.callee.startsWith(p))) {
    return { ok: false, status: 403, reason: "Callee Not Allowed" };
  }
  if (!hasFreeCapacity(mapping.capacity, input.liveCalls(mapping.id)))
    return { ok: false, status: 503, reason: "Gateway Capacity Reached" };
  const callee = applyRewrite(input.callee, mapping.calleeRewrite);
  const caller = applyRewrite(input.caller, mapping.callerRewrite);

  type Matched = { gateway: SnapshotRoutingGateway; target: Remote; matchLength: number; free: number };
  const matched: Matched[] = [];
  for (const g of input.routing) {
    if (!g.enabled) continue;
    // Empty routingGroups: the mapping gateway may use every group
    if (mapping.routingGroups.length > 0 && !mapping.routingGroups.includes(g.group)) continue;
    const matchLength = longestPrefixMatch(callee, g.prefixes);
    if (matchLength < 0) continue;
    const target = targetOf(g, input.contactOf);
    if (target === null) continue;
    matched.push({ gateway: g, target, matchLength, free: freeCapacity(g.capacity, input.liveCalls(g.id)) });
  }
  if (matched.length === 0) return { ok: false, status: 404, reason: "No Route" };

  // Longest match first. Priority: HIGHER first (the console's Priority, 0–1000: "higher is
  // preferred"), then the most free capacity; the snapshot's order breaks remaining ties.
  matched.sort((a, b) => b.matchLength - a.matchLength || b.gateway.priority - a.gateway.priority || b.free - a.free);

  // Prefix mode: gateways are taken one match length at a time, longest first. A length whose
  // gateways include one in mode "stop" ends the list there; "continue" lets shorter ones follow.
  const ordered: Matched[] = [];
  let i = 0;
  while (i < matched.length) {
    const length = matched[i].matchLength;
    let stop = false;
    for (; i < matched.length && matched[i].matchLength === length; i++) {
      ordered.push(matched[i]);
      if (matched[i].gateway.prefixMode === "stop") stop = true;
    }
    if (stop) break;
  }

  const available = ordered.filter((m) => m.free > 0);
  if (available.length === 0) return { ok: false, status: 503, reason: "All Routes Busy" };
  return {
    ok: true,
    candidates: available.map((m) => ({
      gateway: m.gateway,
      target: m.target,
      callee: applyRewrite(callee, m.gateway.calleeRewrite),
      caller: applyRewrite(caller, m.gateway.callerRewrite),
      matchLength: m.matchLength,
    })),
  };
}
