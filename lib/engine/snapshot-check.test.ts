import { describe, expect, it } from "vitest";
import type { ConfigSnapshot, SnapshotMappingGateway, SnapshotRoutingGateway } from "@/lib/domain/config-snapshot";
import { defaultParameterValues } from "@/lib/domain/parameter-catalog";
import {
  checkSnapshot,
  checkSnapshotDelta,
  hashSnapshotContent,
  primeSnapshotCache,
} from "@/lib/engine/snapshot-check";
import { canonicalContentWithTexts, snapshotDeltaJson, type SnapshotBase } from "@/lib/domain/snapshot-delta";
import { versionZeroSnapshot } from "@/lib/engine/runtime-state";

// What the engine accepts from the console: all or nothing.

const mapping = (name: string, over: Partial<SnapshotMappingGateway> = {}): SnapshotMappingGateway => ({
  id: `id-${name}`,
  version: 1,
  name,
  enabled: true,
  locked: false,
  authMode: "ip",
  ipAddresses: [`10.0.0.${name.length}`],
  port: null,
  digestUsername: name,
  ha1Md5: null,
  ha1Sha256: null,
  capacity: 0,
  priority: 0,
  calleeAllowPrefixes: [],
  calleeDenyPrefixes: [],
  callerRewrite: { strip: 0, prefix: "" },
  calleeRewrite: { strip: 0, prefix: "" },
  routingGroups: [],
  replyAddress: "source",
  ...over,
});
const routing: SnapshotRoutingGateway = {
  id: "id-carrier",
  version: 1,
  name: "carrier",
  enabled: true,
  kind: "static",
  address: "192.0.2.1",
  port: 5060,
  transport: "udp",
  prefixes: [],
  prefixMode: "stop",
  priority: 0,
  capacity: 0,
  group: "default",
  authUsername: null,
  password: null,
  authRealm: null,
  fromUser: null,
  fromDomain: null,
  callerRewrite: { strip: 0, prefix: "" },
  calleeRewrite: { strip: 0, prefix: "" },
  failoverCodes: [503],
  failoverOnAuthFailure: true,
};

function snapshot(version: number, mappingGateways: SnapshotMappingGateway[]): ConfigSnapshot {
  const content = { parameters: defaultParameterValues(), mappingGateways, routingGateways: [routing] };
  return { version, hash: hashSnapshotContent(content), createdAt: "2026-01-01T00:00:00.000Z", ...content };
}
/** As it arrives over the wire: a copy, not the objects the engine runs. */
const wire = (s: unknown) => JSON.parse(JSON.stringify(s)) as Record<string, unknown>;

describe("checkSnapshot", () => {
  const running = snapshot(1, [mapping("a"), mapping("bb")]);

  it("accepts a newer intact snapshot, keeping the running objects of gateways that did not change", () => {
    const check = checkSnapshot(wire(snapshot(2, [mapping("a"), mapping("bb", { priority: 5 })])), running);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.snapshot.mappingGateways[0]).toBe(running.mappingGateways[0]);
    expect(check.snapshot.mappingGateways[1]).toEqual(mapping("bb", { priority: 5 }));
    expect(check.snapshot.routingGateways[0]).toBe(running.routingGateways[0]);
  });

  it("drops keys it does not know, as the schema does, for changed and unchanged gateways alike", () => {
    const body = wire(snapshot(2, [mapping("a"), mapping("bb")]));
    (body.mappingGateways as Array<Record<string, unknown>>)[0].extra = "x";
    const check = checkSnapshot(body, running);
    expect(check.ok && check.snapshot.mappingGateways[0]).toEqual(mapping("a"));
  });

  it("refuses a version that does not rise, and content that does not match its hash", () => {
    expect(checkSnapshot(wire(snapshot(1, [mapping("a")])), running)).toEqual({
      ok: false,
      reasons: ["version 1 is not above the running version 1"],
    });
    const altered = wire(snapshot(2, [mapping("a"), mapping("bb")]));
    (altered.mappingGateways as Array<Record<string, unknown>>)[1].ipAddresses = ["10.9.9.9"];
    expect(checkSnapshot(altered, running)).toEqual({
      ok: false,
      reasons: ["hash does not match the content (the snapshot was altered or built wrongly)"],
    });
  });

  it("names every malformed field by its path, also in a gateway the engine runs", () => {
    const body = wire(snapshot(2, [mapping("a"), mapping("bb")]));
    (body.mappingGateways as Array<Record<string, unknown>>)[0].priority = "high";
    (body.routingGateways as Array<Record<string, unknown>>)[0].transport = "carrier-pigeon";
    const check = checkSnapshot(body, running);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.reasons).toHaveLength(2);
    expect(check.reasons[0]).toMatch(/^mappingGateways\.0\.priority: /);
    expect(check.reasons[1]).toMatch(/^routingGateways\.0\.transport: /);
  });

  it("reports the gateways' problems beside a missing field of the snapshot", () => {
    const { version: _v, ...body } = wire(snapshot(2, [mapping("a")]));
    (body.mappingGateways as Array<Record<string, unknown>>)[0].enabled = "yes";
    const check = checkSnapshot(body, versionZeroSnapshot());
    expect(check.ok ? [] : check.reasons.map((r) => r.split(":")[0])).toEqual(
      expect.arrayContaining(["version", "mappingGateways.0.enabled"]),
    );
  });

  it("primes the cache from a snapshot loaded at start-up, and still refuses what it refused", () => {
    const loaded = wire(snapshot(1, [mapping("a"), mapping("bb")])) as unknown as ConfigSnapshot;
    expect(primeSnapshotCache(loaded)).toBe(true);
    const check = checkSnapshot(wire(snapshot(2, [mapping("a"), mapping("bb", { priority: 5 })])), loaded);
    expect(check.ok && check.snapshot.mappingGateways[0]).toBe(loaded.mappingGateways[0]);
    expect(check.ok && check.snapshot.mappingGateways[1]).toEqual(mapping("bb", { priority: 5 }));
    const altered = wire(snapshot(2, [mapping("a"), mapping("bb")]));
    (altered.mappingGateways as Array<Record<string, unknown>>)[1].ipAddresses = ["10.9.9.9"];
    expect(checkSnapshot(altered, loaded)).toEqual({
      ok: false,
      reasons: ["hash does not match the content (the snapshot was altered or built wrongly)"],
    });
    expect(checkSnapshot(wire(snapshot(1, [mapping("a")])), loaded)).toEqual({
      ok: false,
      reasons: ["version 1 is not above the running version 1"],
    });
    const tampered = wire(snapshot(1, [mapping("a")])) as unknown as ConfigSnapshot;
    tampered.mappingGateways[0].priority = 9;
    expect(primeSnapshotCache(tampered)).toBe(false);
  });

  it("refuses a snapshot that breaks a cross-gateway rule", () => {
    const same = { ipAddresses: ["10.0.0.7"] };
    const check = checkSnapshot(wire(snapshot(2, [mapping("a", same), mapping("b", same)])), versionZeroSnapshot());
    expect(check).toEqual({ ok: false, reasons: ['mapping gateways "a" and "b" both claim source 10.0.0.7'] });
  });
});

describe("checkSnapshotDelta", () => {
  const running = snapshot(1, [mapping("a"), mapping("bb"), mapping("ccc")]);
  const base: SnapshotBase = {
    version: running.version,
    hash: running.hash,
    texts: canonicalContentWithTexts(running).texts,
  };
  /** As the console sends it: the wire text of `next` against `base`. */
  const delta = (next: ConfigSnapshot, against = base) =>
    JSON.parse(snapshotDeltaJson(next, canonicalContentWithTexts(next).texts, against)) as Record<string, unknown>;

  it("sends only what changed, and rebuilds the whole snapshot in the new order from the running gateways", () => {
    const next = snapshot(2, [mapping("ccc"), mapping("a", { priority: 7 }), mapping("dddd")]);
    const body = delta(next);
    expect((body.mappingGateways as Array<{ id: string }>).map((g) => g.id)).toEqual(["id-a", "id-dddd"]);
    expect(body.routingGateways).toEqual([]);
    const check = checkSnapshotDelta(body, running);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.snapshot).toEqual(next);
    expect(check.snapshot.mappingGateways[0]).toBe(running.mappingGateways[2]);
    expect(check.snapshot.routingGateways[0]).toBe(running.routingGateways[0]);
    expect(check.contentChunks.join("")).toBe(JSON.stringify(JSON.parse(check.contentChunks.join(""))));
    expect(hashSnapshotContent(JSON.parse(check.contentChunks.join("")) as ConfigSnapshot)).toBe(next.hash);
  });

  it("refuses a difference built on another snapshot than the running one", () => {
    const other = snapshot(1, [mapping("a")]);
    const body = delta(snapshot(2, [mapping("a")]), {
      version: 1,
      hash: other.hash,
      texts: canonicalContentWithTexts(other).texts,
    });
    expect(checkSnapshotDelta(body, running)).toEqual({
      ok: false,
      reasons: [
        `the difference was built on version 1 (${other.hash.slice(0, 12)}), but the engine runs version 1 (${running.hash.slice(0, 12)}): send the whole snapshot`,
      ],
    });
  });

  it("refuses ids it cannot resolve, gateways sent without their id listed, bad fields and a wrong hash", () => {
    const body = delta(snapshot(2, [mapping("a"), mapping("eeeee")]));
    body.mappingGatewayIds = ["id-a", "id-zz"];
    expect(checkSnapshotDelta(body, running)).toEqual({
      ok: false,
      reasons: [
        "mappingGatewayIds: id-zz is neither sent nor running",
        "mappingGateways: id-eeeee is sent but not in mappingGatewayIds",
      ],
    });
    const twice = delta(snapshot(2, [mapping("a")]));
    twice.mappingGatewayIds = ["id-a", "id-a"];
    expect(checkSnapshotDelta(twice, running)).toEqual({
      ok: false,
      reasons: ["mappingGatewayIds: 1 id(s) listed more than once"],
    });
    const malformed = delta(snapshot(2, [mapping("a"), mapping("eeeee")]));
    (malformed.mappingGateways as Array<Record<string, unknown>>)[0].port = "5060";
    expect(checkSnapshotDelta(malformed, running)).toMatchObject({
      ok: false,
      reasons: [expect.stringMatching(/^mappingGateways\.1\.port: /)],
    });
    const altered = delta(snapshot(2, [mapping("a"), mapping("eeeee")]));
    (altered.mappingGateways as Array<Record<string, unknown>>)[0].priority = 3;
    expect(checkSnapshotDelta(altered, running)).toEqual({
      ok: false,
      reasons: ["hash does not match the content (the snapshot was altered or built wrongly)"],
    });
    expect(checkSnapshotDelta({ ...delta(snapshot(2, [])), mappingGatewayIds: "all" }, running)).toMatchObject({
      ok: false,
      reasons: [expect.stringMatching(/^mappingGatewayIds: /)],
    });
  });
});
