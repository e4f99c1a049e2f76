import { createHash } from "node:crypto";
import { describe, expect, it, vi } from "vitest";

// The engine's snapshot as the console builds it: the engine must accept it, and each password
// must reach it as the HA1 of that password for the snapshot's realm.
vi.hoisted(() => {
  process.env.SECRET_KEY = "ab".repeat(32);
});
vi.mock("@/lib/server/db", () => ({ db: {} }));

import { canonicalJson } from "@/lib/domain/config-snapshot";
import type { ConfigSource, SourceMappingGateway, SourceRoutingGateway } from "@/lib/domain/config-source";
import { defaultParameterValues } from "@/lib/domain/parameter-catalog";
import { buildEngineSnapshot, buildEngineSnapshotJson, notRevealed } from "@/lib/server/config-source";
import { encryptSecret } from "@/lib/server/secret-box";
import { checkSnapshot } from "@/lib/engine/snapshot-check";
import { versionZeroSnapshot } from "@/lib/engine/runtime-state";

const mapping = (name: string, over: Partial<SourceMappingGateway> = {}): SourceMappingGateway => ({
  id: `id-${name}`,
  version: 3,
  name,
  enabled: true,
  locked: false,
  authMode: "password",
  ipAddresses: [],
  port: null,
  authUsername: null,
  capacity: 2,
  priority: 1,
  calleeAllowPrefixes: ["44"],
  calleeDenyPrefixes: ["449"],
  callerRewrite: { strip: 1, prefix: "+" },
  calleeRewrite: { strip: 0, prefix: "00" },
  routingGroups: ["gold"],
  replyAddress: "source",
  memo: "",
  passwordCipher: encryptSecret(`pw-${name}`),
  ...over,
});
const routing: SourceRoutingGateway = {
  id: "id-carrier",
  version: 1,
  name: "carrier",
  enabled: true,
  kind: "static",
  address: "192.0.2.1",
  port: 5060,
  transport: "udp",
  prefixes: ["44"],
  prefixMode: "stop",
  priority: 0,
  capacity: 0,
  group: "gold",
  authUsername: "us",
  authRealm: null,
  fromUser: null,
  fromDomain: null,
  callerRewrite: { strip: 0, prefix: "" },
  calleeRewrite: { strip: 0, prefix: "" },
  failoverCodes: [503],
  failoverOnAuthFailure: false,
  memo: "",
  passwordCipher: encryptSecret("carrier-secret"),
};
const source = (over: Partial<ConfigSource> = {}): ConfigSource => ({
  parameters: defaultParameterValues(),
  mappingGateways: [
    mapping("alice"),
    mapping("pbx", { authMode: "ip", ipAddresses: ["10.0.0.1"], passwordCipher: null }),
  ],
  routingGateways: [routing],
  ...over,
});
const md5 = (text: string) => createHash("md5").update(text).digest("hex");

describe("buildEngineSnapshotJson", () => {
  it("writes the content as canonical JSON, hashes that text, and the engine accepts it as pushed", () => {
    const { snapshot, json, texts } = buildEngineSnapshotJson(source(), 1, new Date(0));
    const { version: _v, hash, createdAt: _c, ...content } = snapshot;
    expect(json).toBe(
      `{"version":1,"hash":"${hash}","createdAt":"1970-01-01T00:00:00.000Z",${canonicalJson(content).slice(1)}`,
    );
    expect(hash).toBe(createHash("sha256").update(canonicalJson(content)).digest("hex"));
    expect(JSON.parse(json)).toEqual(snapshot);
    expect([...texts.mapping.keys()]).toEqual(["id-alice", "id-pbx"]);
    expect(texts.routing.get("id-carrier")).toBe(canonicalJson(snapshot.routingGateways[0]));
    expect(checkSnapshot(JSON.parse(json), versionZeroSnapshot())).toMatchObject({ ok: true });
    expect(snapshot.routingGateways[0].password).toBe("carrier-secret");
    expect(snapshot.routingGateways[0].failoverOnAuthFailure).toBe(false);
  });

  it("gives each password's HA1 for the realm in force, also when built again from the cache", () => {
    const ha1Of = (s: ConfigSource) => buildEngineSnapshot(s, 1, new Date(0)).mappingGateways[0].ha1Md5;
    expect(ha1Of(source())).toBe(md5("alice:softswitch.local:pw-alice"));
    expect(ha1Of(source())).toBe(md5("alice:softswitch.local:pw-alice"));
    expect(ha1Of(source({ parameters: { ...defaultParameterValues(), SS_SIP_DOMAIN: "example.com" } }))).toBe(
      md5("alice:example.com:pw-alice"),
    );
    expect(ha1Of(source({ mappingGateways: [mapping("alice", { passwordCipher: encryptSecret("new") })] }))).toBe(
      md5("alice:softswitch.local:new"),
    );
    expect(ha1Of(source({ mappingGateways: [mapping("alice", { authUsername: "al" })] }))).toBe(
      md5("al:softswitch.local:pw-alice"),
    );
  });

  it("never hands a stand-in the HA1 of a real password, nor the other way round", () => {
    const built = source();
    const real = buildEngineSnapshot(built, 1, new Date(0)).mappingGateways[0].ha1Md5;
    expect(buildEngineSnapshot(built, 1, new Date(0), notRevealed).mappingGateways[0].ha1Md5).toBe(
      md5("alice:softswitch.local:(not revealed)"),
    );
    expect(buildEngineSnapshot(built, 1, new Date(0)).mappingGateways[0].ha1Md5).toBe(real);
  });
});
