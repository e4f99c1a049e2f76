import { describe, expect, it } from "vitest";
import {
  canonicalContentChunks,
  canonicalJson,
  configContentSchema,
  snapshotRoutingGatewaySchema,
  writeCanonicalContent,
  type ConfigContent,
  type SnapshotMappingGateway,
  type SnapshotRoutingGateway,
} from "@/lib/domain/config-snapshot";
import { defaultParameterValues } from "@/lib/domain/parameter-catalog";

describe("canonicalJson", () => {
  it("gives the same text whatever the key order, at every depth", () => {
    const a = { b: 1, a: { y: [1, { q: true, p: null }], x: "s" }, c: [3, 2, 1] };
    const b = { c: [3, 2, 1], a: { x: "s", y: [1, { p: null, q: true }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"x":"s","y":[1,{"p":null,"q":true}]},"b":1,"c":[3,2,1]}');
  });

  it("keeps array order, so reordered lists are different content", () => {
    expect(canonicalJson([1, 2, 3])).not.toBe(canonicalJson([3, 2, 1]));
    expect(canonicalJson({ list: ["a", "b"] })).toBe('{"list":["a","b"]}');
  });

  it("distinguishes different values", () => {
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: "1" }));
    expect(canonicalJson({ a: true })).not.toBe(canonicalJson({ a: 1 }));
  });

  it("is valid JSON that parses back to the same data, and omits undefined fields", () => {
    const value = { z: 'quote " and \\ backslash', a: [null, 0, -1.5], m: { n: undefined, o: "" } };
    const text = canonicalJson(value);
    expect(JSON.parse(text)).toEqual({ z: value.z, a: [null, 0, -1.5], m: { o: "" } });
    expect(text).not.toContain('"n"');
  });

  it("encodes scalars like JSON.stringify", () => {
    expect(canonicalJson("x")).toBe('"x"');
    expect(canonicalJson(42)).toBe("42");
    expect(canonicalJson(null)).toBe("null");
    expect(canonicalJson(false)).toBe("false");
  });
});

describe("configContentSchema", () => {
  function issuesOf(parameters: Record<string, unknown>) {
    const result = configContentSchema.safeParse({ parameters });
    expect(result.success).toBe(false);
    return result.success ? [] : result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  }

  it("accepts the catalog defaults", () => {
    const parameters = defaultParameterValues();
    const result = configContentSchema.safeParse({ parameters });
    expect(result.success).toBe(true);
    if (result.success) expect(result.data.parameters).toEqual(parameters);
  });

  it("gives a parameter the snapshot lacks its default (a snapshot stored before the parameter existed)", () => {
    const { SS_SIP_MIN_SE: _dropped, ...older } = defaultParameterValues();
    const result = configContentSchema.safeParse({ parameters: { ...older, SS_NONCE_LIFETIME: 60 } });
    expect(result.success && result.data.parameters).toEqual({
      ...defaultParameterValues(),
      SS_NONCE_LIFETIME: 60,
      SS_SIP_MIN_SE: 90,
    });
  });

  it("reports an unknown parameter by name", () => {
    expect(issuesOf({ ...defaultParameterValues(), SS_MADE_UP: 1 })).toEqual([
      { path: "parameters.SS_MADE_UP", message: "SS_MADE_UP is not a known parameter" },
    ]);
  });

  it("reports an out-of-range value with the catalog's message", () => {
    expect(issuesOf({ ...defaultParameterValues(), SS_AUTHENTICATION_MAX_RETRY: 1000 })).toEqual([
      {
        path: "parameters.SS_AUTHENTICATION_MAX_RETRY",
        message: "SS_AUTHENTICATION_MAX_RETRY must be a whole number from 0 to 999",
      },
    ]);
    expect(issuesOf({ ...defaultParameterValues(), SS_AUTHCHALLENGEMODE: 4 })).toEqual([
      { path: "parameters.SS_AUTHCHALLENGEMODE", message: "SS_AUTHCHALLENGEMODE must be 1, 2 or 3" },
    ]);
  });

  it("reports every problem at once", () => {
    const messages = issuesOf({
      ...defaultParameterValues(),
      SS_ENDPOINT_EXPIRE: "soon",
      SS_NONCE_LIFETIME: 5,
      SS_EXTRA: true,
    }).map((i) => i.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SS_ENDPOINT_EXPIRE /),
        "SS_NONCE_LIFETIME must be a whole number from 10 to 3600 seconds",
        "SS_EXTRA is not a known parameter",
      ]),
    );
    expect(messages).toHaveLength(3);
  });

  it("rejects content without parameters, or with non-scalar values", () => {
    expect(configContentSchema.safeParse({}).success).toBe(false);
    expect(
      configContentSchema.safeParse({ parameters: { ...defaultParameterValues(), SS_NONCE_LIFETIME: [300] } }).success,
    ).toBe(false);
  });
});

describe("canonicalJson with undefined in arrays", () => {
  it("writes null like JSON.stringify, so the text stays valid JSON", () => {
    expect(canonicalJson([undefined, 1])).toBe("[null,1]");
    expect(JSON.parse(canonicalJson({ a: [undefined] }))).toEqual({ a: [null] });
  });
});

const routing: SnapshotRoutingGateway = {
  id: "r1",
  version: 1,
  name: "carrier",
  enabled: true,
  kind: "static",
  address: "192.0.2.1",
  port: 5060,
  transport: "udp",
  prefixes: ["44", "1"],
  prefixMode: "stop",
  priority: 0,
  capacity: 0,
  group: "gold",
  authUsername: "me",
  password: "secret",
  authRealm: null,
  fromUser: null,
  fromDomain: null,
  callerRewrite: { strip: 0, prefix: "" },
  calleeRewrite: { strip: 2, prefix: "00" },
  failoverCodes: [503, 408],
  failoverOnAuthFailure: true,
};
describe("writeCanonicalContent", () => {
  const canonicalContentJson = (content: ConfigContent) => {
    const pieces: string[] = [];
    writeCanonicalContent(content, (piece) => pieces.push(piece));
    return pieces.join("");
  };

  const mapping: SnapshotMappingGateway = {
    id: "m1",
    version: 2,
    name: "pbx",
    enabled: true,
    locked: false,
    authMode: "password",
    ipAddresses: ["10.0.0.2", "10.0.0.1"],
    port: null,
    digestUsername: "pbx",
    ha1Md5: "0".repeat(32),
    ha1Sha256: "1".repeat(64),
    capacity: 3,
    priority: 1,
    calleeAllowPrefixes: ["44"],
    calleeDenyPrefixes: [],
    callerRewrite: { strip: 1, prefix: "+" },
    calleeRewrite: { strip: 0, prefix: "" },
    routingGroups: ["gold"],
    replyAddress: "source",
  };

  const reversed = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).reverse()) as T;
  const content = { parameters: defaultParameterValues(), mappingGateways: [mapping], routingGateways: [routing] };

  it("writes exactly what canonicalJson writes, whatever the key order it is given", () => {
    const scrambled = {
      routingGateways: [reversed({ ...routing, calleeRewrite: reversed(routing.calleeRewrite) })],
      parameters: reversed(content.parameters),
      mappingGateways: [reversed({ ...mapping, callerRewrite: reversed(mapping.callerRewrite) })],
    };
    expect(canonicalContentJson(content)).toBe(canonicalJson(content));
    expect(canonicalContentJson(scrambled)).toBe(canonicalJson(content));
  });

  it("changes with any value, nested ones and array order included", () => {
    const before = canonicalContentJson(content);
    const changed = [
      { ...content, mappingGateways: [{ ...mapping, ha1Md5: "2".repeat(32) }] },
      { ...content, mappingGateways: [{ ...mapping, callerRewrite: { strip: 1, prefix: "00" } }] },
      { ...content, routingGateways: [{ ...routing, failoverCodes: [408, 503] }] },
      { ...content, routingGateways: [{ ...routing, failoverOnAuthFailure: false }] },
      { ...content, parameters: { ...content.parameters, SS_NONCE_LIFETIME: 301 } },
    ];
    for (const c of changed) expect(canonicalContentJson(c)).not.toBe(before);
  });
});

describe("snapshotRoutingGatewaySchema", () => {
  const { failoverOnAuthFailure: _stored_before_it_existed, ...carrier } = routing;

  it("reads a routing gateway stored before failoverOnAuthFailure existed as failing over (its default)", () => {
    expect(snapshotRoutingGatewaySchema.parse(carrier).failoverOnAuthFailure).toBe(true);
  });

  it("keeps failoverOnAuthFailure as sent, and refuses a value that is not a boolean", () => {
    expect(snapshotRoutingGatewaySchema.parse({ ...carrier, failoverOnAuthFailure: false }).failoverOnAuthFailure).toBe(
      false,
    );
    expect(snapshotRoutingGatewaySchema.safeParse({ ...carrier, failoverOnAuthFailure: "no" }).success).toBe(false);
  });
});

describe("canonicalContentChunks", () => {
  it("joins to canonicalJson, in pieces of about 1 MB for thousands of gateways", () => {
    const gateway = (i: number): SnapshotMappingGateway => ({
      id: `m${i}`,
      version: 1,
      name: `pbx-${i}`,
      enabled: true,
      locked: false,
      authMode: "ip",
      ipAddresses: [`10.0.${i >> 8}.${i & 255}`],
      port: null,
      digestUsername: `pbx-${i}`,
      ha1Md5: null,
      ha1Sha256: null,
      capacity: 0,
      priority: 0,
      calleeAllowPrefixes: [],
      calleeDenyPrefixes: [],
      callerRewrite: { strip: 0, prefix: "" },
      calleeRewrite: { strip: 0, prefix: "" },
      routingGroups: ["gold"],
      replyAddress: "source",
    });
    const content = {
      parameters: defaultParameterValues(),
      mappingGateways: Array.from({ length: 6000 }, (_, i) => gateway(i)),
      routingGateways: [],
    };
    const chunks = canonicalContentChunks(content);
    expect(chunks.join("")).toBe(canonicalJson(content));
    expect(chunks.length).toBe(Math.ceil(chunks.join("").length / (1 << 20)));
    expect(canonicalContentChunks({ ...content, mappingGateways: [] })).toEqual([
      canonicalJson({ ...content, mappingGateways: [] }),
    ]);
  });
});
