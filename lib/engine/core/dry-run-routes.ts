import type { SnapshotRoutingGateway } from "@/lib/domain/config-snapshot";
import {
  describeRewrite,
  type RewriteTrace,
  type SimulationRefusal,
  type SimulationRoute,
} from "@/lib/domain/route-simulation";
import {
  applyRewrite,
  freeCapacity,
  longestPrefixMatch,
  selectRoutes,
  targetOf,
  type Rewrite,
  type RouteInput,
} from "@/lib/engine/routing/route-selection";

// The routing half of the dry run (dry-run.ts): the engine's own selectRoutes decides; this file only
// explains its verdict — the rewrites step by step, why each carrier is in the list or not.

export type RoutingExplained = {
  refusal: SimulationRefusal | null;
  rewrites: { caller: RewriteTrace; callee: RewriteTrace };
  routes: SimulationRoute[];
  skipped: Array<{ id: string; name: string; text: string }>;
  steps: string[];
};

function rewriteTrace(
  what: "Caller" | "Callee",
  received: string,
  rule: Rewrite,
  owner: string,
  reached: boolean,
): RewriteTrace {
  if (!reached)
    return {
      received,
      afterMapping: null,
      mappingRule: null,
      text: `${what} ${received} as received; the call is refused before any rewrite.`,
    };
  const after = applyRewrite(received, rule);
  const change = after === received ? "unchanged" : `→ ${after}`;
  return {
    received,
    afterMapping: after,
    mappingRule: { ...rule },
    text: `${what} ${received} as received, ${change} after ${owner}'s rule (${describeRewrite(rule)}).`,
  };
}

const beforeRewrite = new Set(["Callee Denied", "Callee Not Allowed", "Gateway Capacity Reached"]);

function refusalOf(input: RouteInput, status: number, reason: string, callee: string): SimulationRefusal {
  const m = input.mapping;
  const answer = `${status} ${reason}`;
  if (reason === "Callee Denied") {
    const prefix = m.calleeDenyPrefixes.find((p) => input.callee.startsWith(p)) ?? "";
    return {
      kind: "callee-denied",
      status,
      reason,
      text: `Callee ${input.callee} starts with ${prefix}, a prefix ${m.name} denies: ${answer}.`,
    };
  }
  if (reason === "Callee Not Allowed") {
    return {
      kind: "callee-not-allowed",
      status,
      reason,
      text: `Callee ${input.callee} starts with none of ${m.name}'s allowed prefixes (${m.calleeAllowPrefixes.join(", ")}): ${answer}.`,
    };
  }
  if (reason === "Gateway Capacity Reached") {
    return {
      kind: "capacity",
      status,
      reason,
      text: `${m.name} already carries ${input.liveCalls(m.id)} of its ${m.capacity} calls: ${answer}.`,
    };
  }
  if (reason === "No Route")
    return { kind: "no-route", status, reason, text: `No routing gateway can take callee ${callee}: ${answer}.` };
  if (reason === "All Routes Busy")
    return { kind: "all-busy", status, reason, text: `Every routing gateway that matches is at capacity: ${answer}.` };
  throw new Error(`dry run: selectRoutes refusal not explained: ${answer}`);
}

/** Why a routing gateway is not in the list, checked in selectRoutes' own order. */
function whySkipped(g: SnapshotRoutingGateway, input: RouteInput, callee: string): string {
  const m = input.mapping;
  if (!g.enabled) return "disabled.";
  if (m.routingGroups.length > 0 && !m.routingGroups.includes(g.group))
    return `group ${g.group} is not among ${m.name}'s routing groups (${m.routingGroups.join(", ")}).`;
  if (longestPrefixMatch(callee, g.prefixes) < 0)
    return `callee ${callee} starts with none of its prefixes (${g.prefixes.join(", ")}).`;
  if (targetOf(g, input.contactOf) === null)
    return g.kind === "dynamic"
      ? "a dynamic gateway that is not registered: there is no contact to send to."
      : "it has no address.";
  if (freeCapacity(g.capacity, input.liveCalls(g.id)) <= 0)
    return `at capacity (${input.liveCalls(g.id)} of ${g.capacity} calls).`;
  return 'a gateway in prefix mode "stop" matched a longer prefix, which ends the list.';
}

function numberStep(what: string, from: string, to: string, rule: Rewrite): string {
  return from === to ? `${what} ${from} unchanged` : `${what} ${from} → ${to} (${describeRewrite(rule)})`;
}

function matchedPrefix(callee: string, prefixes: readonly string[], length: number): string {
  return prefixes.find((p) => p.length === length && callee.startsWith(p)) ?? "";
}

/** Runs selectRoutes for an INVITE from `input.mapping` and explains its verdict. */
export function explainRouting(input: RouteInput, switchLimit: number): RoutingExplained {
  const m = input.mapping;
  const selection = selectRoutes(input);
  const reached = selection.ok || !beforeRewrite.has(selection.reason);
  const rewrites = {
    caller: rewriteTrace("Caller", input.caller, m.callerRewrite, m.name, reached),
    callee: rewriteTrace("Callee", input.callee, m.calleeRewrite, m.name, reached),
  };
  const steps = [rewrites.callee.text, rewrites.caller.text];
  const callee = rewrites.callee.afterMapping ?? input.callee;
  if (!selection.ok) {
    const refusal = refusalOf(input, selection.status, selection.reason, callee);
    const skipped = reached
      ? input.routing.map((g) => ({ id: g.id, name: g.name, text: whySkipped(g, input, callee) }))
      : [];
    steps.push(...skipped.map((s) => `${s.name}: ${s.text}`), refusal.text);
    return { refusal, rewrites, routes: [], skipped, steps };
  }
  const chosen = new Set(selection.candidates.map((c) => c.gateway.id));
  const routes = selection.candidates.map((c, i): SimulationRoute => {
    const g = c.gateway;
    const free = freeCapacity(g.capacity, input.liveCalls(g.id));
    const prefix = matchedPrefix(callee, g.prefixes, c.matchLength);
    const tried = i < switchLimit;
    const why =
      prefix === ""
        ? "no prefixes: it takes any callee (the shortest match)"
        : `prefix ${prefix} matched (${prefix.length} digits)`;
    const target = `${c.target.transport}:${c.target.address}:${c.target.port}`;
    const calleeStep = numberStep("callee", callee, c.callee, g.calleeRewrite);
    const callerStep = numberStep("caller", rewrites.caller.afterMapping ?? input.caller, c.caller, g.callerRewrite);
    const text =
      `${i + 1}. ${g.name}: ${why}, priority ${g.priority}, group ${g.group}${Number.isFinite(free) ? `, ${free} calls free` : ""}; ${calleeStep}, ${callerStep}; sent to ${target}.` +
      (tried ? "" : ` Not tried: SS_GATEWAY_SWITCH_LIMIT stops after ${switchLimit}.`);
    return {
      order: i + 1,
      id: g.id,
      name: g.name,
      kind: g.kind,
      group: g.group,
      priority: g.priority,
      matchedPrefix: prefix,
      target,
      freeCapacity: Number.isFinite(free) ? free : null,
      callee: c.callee,
      caller: c.caller,
      calleeRule: { ...g.calleeRewrite },
      callerRule: { ...g.callerRewrite },
      tried,
      text,
    };
  });
  const skipped = input.routing
    .filter((g) => !chosen.has(g.id))
    .map((g) => ({ id: g.id, name: g.name, text: whySkipped(g, input, callee) }));
  steps.push(
    `Routing gateways are ordered by the longest prefix the callee matches, then higher priority, then more free capacity; at most ${switchLimit} are tried (SS_GATEWAY_SWITCH_LIMIT).`,
    ...routes.map((r) => r.text),
    ...skipped.map((s) => `Not used: ${s.name}: ${s.text}`),
  );
  return { refusal: null, rewrites, routes, skipped, steps };
}
