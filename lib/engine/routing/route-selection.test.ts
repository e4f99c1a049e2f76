import { describe, expect, it } from "vitest";
import type { SnapshotMappingGateway, SnapshotRoutingGateway } from "@/lib/domain/config-snapshot";
import { applyRewrite, selectRoutes } from "@/lib/engine/routing/route-selection";
import { mappingGateway, routingGateway } from "@/lib/engine/routing/test-gateways";
import type { Remote } from "@/lib/engine/transport/remote";

type Case = {
  name: string;
  mapping?: Partial<SnapshotMappingGateway>;
  routing: SnapshotRoutingGateway[];
  callee?: string;
  caller?: string;
  live?: Record<string, number>;
  contacts?: Record<string, Remote>;
  /** ids in order, with "callee/caller" after a colon; or "status reason" for a refusal. */
  expect: string[] | string;
};

const rg = routingGateway;
const cases: Case[] = [
  { name: "no routing gateway at all: 404 No Route", routing: [], expect: "404 No Route" },
  {
    name: "no prefix matches: 404",
    routing: [rg("a", { prefixes: ["44"] })],
    callee: "3312345",
    expect: "404 No Route",
  },
  { name: "empty prefixes are a catch-all", routing: [rg("a")], callee: "3312345", expect: ["a:3312345/1000"] },
  {
    name: "a denied prefix refuses the call before the allow list",
    mapping: { calleeDenyPrefixes: ["0900"], calleeAllowPrefixes: ["09"] },
    routing: [rg("a")],
    callee: "0900123",
    expect: "403 Callee Denied",
  },
  {
    name: "a callee outside a non-empty allow list is refused",
    mapping: { calleeAllowPrefixes: ["00"] },
    routing: [rg("a")],
    callee: "44123",
    expect: "403 Callee Not Allowed",
  },
  {
    name: "an allowed callee goes through",
    mapping: { calleeAllowPrefixes: ["00", "44"] },
    routing: [rg("a")],
    callee: "44123",
    expect: ["a:44123/1000"],
  },
  {
    name: "mapping rewrites (strip, prefix), then the routing gateway's own",
    mapping: { calleeRewrite: { strip: 2, prefix: "" }, callerRewrite: { strip: 0, prefix: "+" } },
    routing: [
      rg("a", { prefixes: ["44"], calleeRewrite: { strip: 0, prefix: "9#" }, callerRewrite: { strip: 1, prefix: "" } }),
    ],
    callee: "0044123",
    caller: "1000",
    expect: ["a:9#44123/1000"],
  },
  {
    name: "the prefix is matched on the mapping-rewritten callee",
    mapping: { calleeRewrite: { strip: 1, prefix: "" } },
    routing: [rg("a", { prefixes: ["044"] }), rg("b", { prefixes: ["44"] })],
    callee: "044123",
    expect: ["b:44123/1000"],
  },
  {
    name: "longest prefix first; stop: shorter matches are not tried",
    routing: [
      rg("short", { prefixes: ["4"], priority: 1000 }),
      rg("long", { prefixes: ["441"] }),
      rg("mid", { prefixes: ["44"] }),
    ],
    callee: "441234",
    expect: ["long:441234/1000"],
  },
  {
    name: "continue: shorter matches follow, longest first, catch-all last",
    routing: [
      rg("all", { prefixes: [], prefixMode: "continue" }),
      rg("long", { prefixes: ["441"], prefixMode: "continue" }),
      rg("mid", { prefixes: ["44"], prefixMode: "continue" }),
    ],
    callee: "441234",
    expect: ["long:441234/1000", "mid:441234/1000", "all:441234/1000"],
  },
  {
    name: "continue then stop: the list ends at the length whose gateways say stop",
    routing: [
      rg("long", { prefixes: ["441"], prefixMode: "continue" }),
      rg("mid", { prefixes: ["44"], prefixMode: "stop" }),
      rg("all", { prefixMode: "continue" }),
    ],
    callee: "441234",
    expect: ["long:441234/1000", "mid:441234/1000"],
  },
  {
    name: "same prefix length: higher priority first",
    routing: [
      rg("low", { prefixes: ["44"], priority: 1 }),
      rg("high", { prefixes: ["44"], priority: 9 }),
      rg("mid", { prefixes: ["44"], priority: 5 }),
    ],
    callee: "44123",
    expect: ["high:44123/1000", "mid:44123/1000", "low:44123/1000"],
  },
  {
    name: "same length and priority: more free capacity first (0 = unlimited); full ones left out",
    routing: [
      rg("small", { capacity: 10 }),
      rg("full", { capacity: 2 }),
      rg("unlimited"),
      rg("big", { capacity: 100 }),
    ],
    live: { small: 5, full: 2, big: 90 },
    expect: ["unlimited:100/1000", "big:100/1000", "small:100/1000"],
  },
  {
    name: "every candidate full: 503",
    routing: [rg("a", { capacity: 1 }), rg("b", { capacity: 2 })],
    live: { a: 1, b: 2 },
    expect: "503 All Routes Busy",
  },
  {
    name: "a full mapping gateway: 503",
    mapping: { capacity: 3 },
    routing: [rg("a")],
    live: { m1: 3 },
    expect: "503 Gateway Capacity Reached",
  },
  {
    name: "mapping gateway capacity 0 is unlimited",
    mapping: { capacity: 0 },
    routing: [rg("a")],
    live: { m1: 5000 },
    expect: ["a:100/1000"],
  },
  {
    name: "routing groups: only the mapping gateway's groups",
    mapping: { routingGroups: ["retail"] },
    routing: [rg("wholesale", { group: "wholesale", priority: 10 }), rg("retail", { group: "retail" })],
    expect: ["retail:100/1000"],
  },
  {
    name: "empty routing groups: every group",
    routing: [rg("x", { group: "x" }), rg("y", { group: "y", priority: 1 })],
    expect: ["y:100/1000", "x:100/1000"],
  },
  {
    name: "disabled gateways are skipped",
    routing: [rg("off", { enabled: false }), rg("on")],
    expect: ["on:100/1000"],
  },
  {
    name: "a dynamic gateway without a registration is skipped",
    routing: [rg("dyn", { kind: "dynamic", address: null, priority: 5 }), rg("static")],
    expect: ["static:100/1000"],
  },
  {
    name: "a registered dynamic gateway is reached at its contact; register-out at its address",
    routing: [
      rg("dyn", { kind: "dynamic", address: null, priority: 5 }),
      rg("out", { kind: "register-out", address: "198.51.100.7" }),
    ],
    contacts: { dyn: { transport: "tcp", address: "192.0.2.99", port: 5099 } },
    expect: ["dyn:100/1000@tcp:192.0.2.99:5099", "out:100/1000@udp:198.51.100.7:5060"],
  },
];

describe("route selection (issue 8 Routing)", () => {
  for (const c of cases) {
    it(c.name, () => {
      const result = selectRoutes({
        mapping: mappingGateway(c.mapping),
        routing: c.routing,
        callee: c.callee ?? "100",
        caller: c.caller ?? "1000",
        liveCalls: (id) => c.live?.[id] ?? 0,
        contactOf: (id) => c.contacts?.[id] ?? null,
      });
      if (typeof c.expect === "string") {
        expect(result.ok ? "routed" : `${result.status} ${result.reason}`).toBe(c.expect);
        return;
      }
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const withTarget = c.expect.some((e) => e.includes("@"));
      expect(
        result.candidates.map(
          (x) =>
            `${x.gateway.id}:${x.callee}/${x.caller}${withTarget ? `@${x.target.transport}:${x.target.address}:${x.target.port}` : ""}`,
        ),
      ).toEqual(c.expect);
    });
  }

  it("rewrites strip at most the whole number, then prefix", () => {
    expect(applyRewrite("0044", { strip: 2, prefix: "" })).toBe("44");
    expect(applyRewrite("12", { strip: 5, prefix: "9" })).toBe("9");
    expect(applyRewrite("12", { strip: 0, prefix: "" })).toBe("12");
  });
});
