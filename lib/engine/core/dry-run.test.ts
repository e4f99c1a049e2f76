import { describe, expect, it } from "vitest";
import type { ConfigSnapshot, SnapshotMappingGateway, SnapshotRoutingGateway } from "@/lib/domain/config-snapshot";
import { defaultParameterValues, type ParameterValue } from "@/lib/domain/parameter-catalog";
import { compareSimulations, type SimulateRequest } from "@/lib/domain/route-simulation";
import { dryRun, idleEngine, type LiveState } from "@/lib/engine/core/dry-run";
import { mappingGateway, routingGateway } from "@/lib/engine/routing/test-gateways";

function snapshot(
  over: {
    parameters?: Record<string, ParameterValue>;
    mapping?: SnapshotMappingGateway[];
    routing?: SnapshotRoutingGateway[];
  } = {},
): ConfigSnapshot {
  return {
    version: 1,
    hash: "0".repeat(64),
    createdAt: new Date(0).toISOString(),
    parameters: { ...defaultParameterValues(), ...over.parameters },
    mappingGateways: over.mapping ?? [],
    routingGateways: over.routing ?? [],
  };
}

function request(over: Partial<SimulateRequest> = {}): SimulateRequest {
  return {
    sourceAddress: "192.0.2.10",
    sourcePort: 5060,
    transport: "udp",
    method: "INVITE",
    caller: "1000",
    callee: "4412345",
    ...over,
  };
}

const ipGateway = mappingGateway({ id: "ip", name: "pbx-ip", authMode: "ip", ipAddresses: ["192.0.2.10"] });
const ipPortGateway = mappingGateway({
  id: "ipport",
  name: "pbx-5060",
  authMode: "ip-port",
  ipAddresses: ["192.0.2.10"],
  port: 5060,
});
const passwordGateway = mappingGateway({
  id: "pw",
  name: "phone",
  authMode: "password",
  ipAddresses: [],
  digestUsername: "phone100",
  ha1Md5: "0".repeat(32),
});
const carrier = routingGateway("carrier", { name: "carrier-a" });

describe("identification", () => {
  it("an IP+Port gateway matching address and port beats an IP gateway with the same address", () => {
    const config = snapshot({ mapping: [ipGateway, ipPortGateway], routing: [carrier] });
    const exact = dryRun(config, request());
    expect(exact.identification).toMatchObject({ by: "ip-port", gateway: { id: "ipport", name: "pbx-5060" } });
    expect(exact.challenge).toBeNull();
    const otherPort = dryRun(config, request({ sourcePort: 5070 }));
    expect(otherPort.identification).toMatchObject({ by: "ip", gateway: { id: "ip" } });
    expect(otherPort.identification.text).toContain("on any port");
  });

  it("an IP gateway is identified by address alone, never challenged, and its call is routed", () => {
    const result = dryRun(
      snapshot({ mapping: [ipGateway, passwordGateway], routing: [carrier] }),
      request({ sourcePort: 40000, digestUsername: "phone100" }),
    );
    expect(result.identification.by).toBe("ip");
    expect(result.challenge).toBeNull();
    expect(result.outcome).toMatchObject({ kind: "routed", status: null });
    expect(result.routes.map((r) => r.name)).toEqual(["carrier-a"]);
    expect(result.steps.join("\n")).toContain("digest username phone100 is not used");
  });

  const modes: Array<[number, "INVITE" | "REGISTER", 401 | 407, string]> = [
    [1, "REGISTER", 401, "WWW-Authenticate"],
    [1, "INVITE", 401, "WWW-Authenticate"],
    [2, "REGISTER", 407, "Proxy-Authenticate"],
    [2, "INVITE", 407, "Proxy-Authenticate"],
    [3, "REGISTER", 401, "WWW-Authenticate"],
    [3, "INVITE", 407, "Proxy-Authenticate"],
  ];
  for (const [mode, method, status, header] of modes) {
    it(`SS_AUTHCHALLENGEMODE ${mode}: a ${method} from a Password gateway gets ${status} with ${header}`, () => {
      const config = snapshot({
        parameters: { SS_AUTHCHALLENGEMODE: mode },
        mapping: [passwordGateway],
        routing: [carrier],
      });
      const result = dryRun(config, request({ sourceAddress: "203.0.113.9", method, digestUsername: "phone100" }));
      expect(result.challenge).toMatchObject({ status, header, mode });
      expect(result.challenge?.modeText).toContain(`SS_AUTHCHALLENGEMODE is ${mode}`);
      expect(result.identification).toMatchObject({
        by: "digest",
        gateway: { id: "pw", name: "phone", authMode: "password" },
      });
      expect(result.outcome.kind).toBe(method === "REGISTER" ? "answered" : "routed");
      // Without a username the request stops at the challenge
      const bare = dryRun(config, request({ sourceAddress: "203.0.113.9", method }));
      expect(bare.outcome).toMatchObject({ kind: "challenged", status });
      expect(bare.identification.by).toBe("none");
    });
  }

  it("a digest username no enabled Password gateway has fails and is challenged again", () => {
    const disabled = mappingGateway({
      ...passwordGateway,
      id: "pw2",
      name: "old-phone",
      digestUsername: "phone200",
      enabled: false,
    });
    const config = snapshot({ mapping: [passwordGateway, disabled], routing: [carrier] });
    const unknown = dryRun(config, request({ sourceAddress: "203.0.113.9", digestUsername: "nobody" }));
    expect(unknown.refusals).toEqual([expect.objectContaining({ kind: "unknown-username", status: 407 })]);
    expect(unknown.outcome).toMatchObject({ kind: "refused", status: 407 });
    const off = dryRun(config, request({ sourceAddress: "203.0.113.9", digestUsername: "phone200" }));
    expect(off.refusals[0]).toMatchObject({ kind: "disabled" });
    expect(off.refusals[0].text).toContain("old-phone has the digest username phone200 but is disabled");
  });

  it("an unknown source gets 403, or silence when SS_REPLY_UNAUTHORIZED is off; a digest username changes nothing without Password gateways", () => {
    const config = snapshot({ mapping: [ipGateway], routing: [carrier] });
    const forbidden = dryRun(config, request({ sourceAddress: "198.51.100.1", digestUsername: "phone100" }));
    expect(forbidden.outcome).toMatchObject({ kind: "refused", status: 403, reason: "Forbidden" });
    expect(forbidden.refusals).toEqual([expect.objectContaining({ kind: "unknown-source", status: 403 })]);
    expect(forbidden.challenge).toBeNull();
    const silent = dryRun(
      snapshot({ parameters: { SS_REPLY_UNAUTHORIZED: false }, mapping: [ipGateway] }),
      request({ sourceAddress: "198.51.100.1" }),
    );
    expect(silent.outcome).toMatchObject({ kind: "silence", status: null });
    expect(silent.refusals[0].text).toContain("SS_REPLY_UNAUTHORIZED is off");
  });

  it("says why a gateway with this address does not identify it: disabled, or IP+Port on another port", () => {
    const config = snapshot({
      mapping: [
        { ...ipGateway, enabled: false },
        { ...ipPortGateway, port: 5062 },
      ],
    });
    const result = dryRun(config, request());
    expect(result.refusals[0]).toMatchObject({ kind: "disabled", status: 403 });
    expect(result.refusals[0].text).toContain("pbx-ip has this source but is disabled");
    expect(result.identification.text).toContain("pbx-5060 (port 5062) has this address on another port only");
  });

  it("a suspended source gets no answer at all, whatever the configuration", () => {
    const live: LiveState = { ...idleEngine, isSuspended: (a) => a === "192.0.2.10" };
    const result = dryRun(snapshot({ mapping: [ipGateway], routing: [carrier] }), request(), live);
    expect(result.outcome).toMatchObject({ kind: "silence", status: null });
    expect(result.refusals[0].kind).toBe("suspended");
    expect(result.identification.by).toBe("none");
  });

  it("IPv6 sources are compared in their canonical form", () => {
    const v6 = mappingGateway({ id: "v6", name: "pbx-v6", ipAddresses: ["2001:db8::1"] });
    expect(
      dryRun(snapshot({ mapping: [v6], routing: [carrier] }), request({ sourceAddress: "2001:DB8:0::1" }))
        .identification.gateway?.name,
    ).toBe("pbx-v6");
  });
});

describe("after identification", () => {
  it("a locked gateway's INVITE gets 403 Gateway Locked, but its REGISTER is still answered", () => {
    const config = snapshot({ mapping: [{ ...ipGateway, locked: true }], routing: [carrier] });
    const invite = dryRun(config, request());
    expect(invite.outcome).toMatchObject({ kind: "refused", status: 403, reason: "Gateway Locked" });
    expect(invite.refusals[0].kind).toBe("locked");
    expect(invite.routes).toEqual([]);
    expect(dryRun(config, request({ method: "REGISTER" })).outcome).toMatchObject({ kind: "answered", status: 200 });
  });

  it("a dynamic carrier that authenticates by digest may register but places no calls", () => {
    const dynamic = routingGateway("dyn", {
      name: "carrier-dyn",
      kind: "dynamic",
      address: null,
      authUsername: "trunk7",
      password: "x",
    });
    const config = snapshot({ routing: [dynamic] });
    const invite = dryRun(config, request({ sourceAddress: "203.0.113.9", digestUsername: "trunk7" }));
    expect(invite.identification).toMatchObject({ by: "carrier", gateway: { id: "dyn", authMode: "dynamic" } });
    expect(invite.outcome).toMatchObject({ status: 403, reason: "Carriers Register Only" });
    expect(
      dryRun(config, request({ sourceAddress: "203.0.113.9", digestUsername: "trunk7", method: "REGISTER" })).outcome
        .kind,
    ).toBe("answered");
  });

  it("a callee with a denied prefix is refused before any rewrite", () => {
    const config = snapshot({
      mapping: [{ ...ipGateway, calleeDenyPrefixes: ["0900"], calleeRewrite: { strip: 1, prefix: "" } }],
      routing: [carrier],
    });
    const result = dryRun(config, request({ callee: "0900123" }));
    expect(result.outcome).toMatchObject({ kind: "refused", status: 403, reason: "Callee Denied" });
    expect(result.refusals[0]).toMatchObject({ kind: "callee-denied" });
    expect(result.refusals[0].text).toContain("starts with 0900");
    expect(result.rewrites?.callee).toMatchObject({ received: "0900123", afterMapping: null });
  });

  it("rewrites step by step: as received, after the mapping gateway's rule, after each routing gateway's", () => {
    const mapping = { ...ipGateway, calleeRewrite: { strip: 2, prefix: "" }, callerRewrite: { strip: 0, prefix: "+" } };
    const out = routingGateway("out", {
      name: "carrier-out",
      prefixes: ["44"],
      calleeRewrite: { strip: 0, prefix: "9" },
      callerRewrite: { strip: 1, prefix: "" },
    });
    const result = dryRun(
      snapshot({ mapping: [mapping], routing: [out] }),
      request({ callee: "004412345", caller: "1000" }),
    );
    expect(result.rewrites?.callee).toMatchObject({
      received: "004412345",
      afterMapping: "4412345",
      mappingRule: { strip: 2, prefix: "" },
    });
    expect(result.rewrites?.caller).toMatchObject({ received: "1000", afterMapping: "+1000" });
    expect(result.rewrites?.callee.text).toBe("Callee 004412345 as received, → 4412345 after pbx-ip's rule (strip 2).");
    expect(result.routes[0]).toMatchObject({
      callee: "94412345",
      caller: "1000",
      matchedPrefix: "44",
      calleeRule: { strip: 0, prefix: "9" },
    });
    expect(result.routes[0].text).toContain("callee 4412345 → 94412345 (add 9), caller +1000 → 1000 (strip 1)");
  });

  it("routing gateways in order: longest prefix, then higher priority; the others with the reason they are left out", () => {
    const routing = [
      routingGateway("a", { name: "a", prefixes: ["44"], priority: 1 }),
      routingGateway("b", { name: "b", prefixes: ["447"], prefixMode: "continue" }),
      routingGateway("c", { name: "c", prefixes: ["44"], priority: 9 }),
      routingGateway("d", { name: "d", prefixes: ["44"], enabled: false }),
      routingGateway("e", { name: "e", prefixes: ["33"] }),
      routingGateway("f", { name: "f", prefixes: ["4"] }),
      routingGateway("g", { name: "g", group: "premium" }),
    ];
    const config = snapshot({ mapping: [{ ...ipGateway, routingGroups: ["default"] }], routing });
    const result = dryRun(config, request({ callee: "4471234" }));
    expect(result.routes.map((r) => [r.order, r.name, r.matchedPrefix, r.priority])).toEqual([
      [1, "b", "447", 0],
      [2, "c", "44", 9],
      [3, "a", "44", 1],
    ]);
    expect(result.routes.every((r) => r.tried)).toBe(true);
    const why = Object.fromEntries(result.skipped.map((s) => [s.name, s.text]));
    expect(why).toEqual({
      d: "disabled.",
      e: "callee 4471234 starts with none of its prefixes (33).",
      f: 'a gateway in prefix mode "stop" matched a longer prefix, which ends the list.',
      g: "group premium is not among pbx-ip's routing groups (default).",
    });
  });

  it("SS_GATEWAY_SWITCH_LIMIT, capacity and unregistered dynamic gateways", () => {
    const routing = [
      routingGateway("a", { name: "a", prefixes: ["44"], priority: 5 }),
      routingGateway("b", { name: "b", prefixes: ["44"], capacity: 2 }),
      routingGateway("busy", { name: "busy", prefixes: ["44"], capacity: 1 }),
      routingGateway("dyn", { name: "dyn", kind: "dynamic", address: null, prefixes: ["44"] }),
    ];
    const live: LiveState = { ...idleEngine, liveCalls: (id) => (id === "busy" ? 1 : id === "b" ? 1 : 0) };
    const result = dryRun(
      snapshot({ parameters: { SS_GATEWAY_SWITCH_LIMIT: 1 }, mapping: [ipGateway], routing }),
      request(),
      live,
    );
    expect(result.routes.map((r) => [r.name, r.tried, r.freeCapacity])).toEqual([
      ["a", true, null],
      ["b", false, 1],
    ]);
    expect(result.outcome.text).toBe("The INVITE goes to a.");
    expect(result.skipped.map((s) => s.text)).toEqual([
      "at capacity (1 of 1 calls).",
      "a dynamic gateway that is not registered: there is no contact to send to.",
    ]);
    const registered: LiveState = {
      ...live,
      contactOf: (id) => (id === "dyn" ? { transport: "udp", address: "198.51.100.50", port: 5070 } : null),
    };
    expect(
      dryRun(snapshot({ mapping: [ipGateway], routing }), request(), registered).routes.find((r) => r.name === "dyn")
        ?.target,
    ).toBe("udp:198.51.100.50:5070");
  });

  it("no matching routing gateway: 404 No Route, each gateway's reason listed", () => {
    const result = dryRun(
      snapshot({ mapping: [ipGateway], routing: [routingGateway("x", { name: "x", prefixes: ["33"] })] }),
      request(),
    );
    expect(result.outcome).toMatchObject({ kind: "refused", status: 404, reason: "No Route" });
    expect(result.refusals[0].kind).toBe("no-route");
    expect(result.skipped).toEqual([
      { id: "x", name: "x", text: "callee 4412345 starts with none of its prefixes (33)." },
    ]);
  });
});

describe("running against pending", () => {
  it("a pending prefix change shows in the routes and the outcome; the same configuration shows no difference", () => {
    const running = snapshot({
      mapping: [ipGateway],
      routing: [routingGateway("r", { name: "carrier-r", prefixes: ["44"] })],
    });
    const pending = snapshot({
      mapping: [ipGateway],
      routing: [routingGateway("r", { name: "carrier-r", prefixes: ["33"] })],
    });
    const a = { config: { which: "running" as const, version: 1, text: "" }, ...dryRun(running, request()) };
    const b = { config: { which: "pending" as const, version: null, text: "" }, ...dryRun(pending, request()) };
    expect(a.outcome.kind).toBe("routed");
    expect(b.outcome).toMatchObject({ kind: "refused", status: 404 });
    expect(compareSimulations(a, b)).toEqual(["outcome", "refusals", "routes"]);
    expect(compareSimulations(a, { ...a, config: b.config })).toEqual([]);
  });
});
