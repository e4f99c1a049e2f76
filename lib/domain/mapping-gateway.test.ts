import { describe, expect, it } from "vitest";
import {
  createMappingGatewaySchema,
  digestUsernameOf,
  mappingGatewayListQuerySchema,
  mappingGatewayRuleIssues,
  updateMappingGatewaySchema,
  type MappingGatewayConfig,
} from "@/lib/domain/mapping-gateway";

function config(overrides: Partial<MappingGatewayConfig> = {}): MappingGatewayConfig {
  const { password: _password, ...parsed } = createMappingGatewaySchema.parse({
    name: "acme",
    authMode: "ip",
    ipAddresses: ["192.0.2.1"],
  });
  return { ...parsed, ...overrides };
}

describe("createMappingGatewaySchema", () => {
  it("fills every default an operator leaves out", () => {
    expect(createMappingGatewaySchema.parse({ name: "acme", authMode: "password", password: "s3cret" })).toEqual({
      name: "acme",
      authMode: "password",
      password: "s3cret",
      enabled: true,
      locked: false,
      ipAddresses: [],
      port: null,
      authUsername: null,
      capacity: 0,
      priority: 0,
      calleeAllowPrefixes: [],
      calleeDenyPrefixes: [],
      callerRewrite: { strip: 0, prefix: "" },
      calleeRewrite: { strip: 0, prefix: "" },
      routingGroups: [],
      replyAddress: "source",
      memo: "",
    });
  });

  it("leaves the password out when none is given", () => {
    const parsed = createMappingGatewaySchema.parse({ name: "acme", authMode: "ip", ipAddresses: ["192.0.2.1"] });
    expect("password" in parsed).toBe(false);
  });

  it("keeps given values over the defaults", () => {
    const parsed = createMappingGatewaySchema.parse({
      name: "acme",
      authMode: "ip-port",
      ipAddresses: ["192.0.2.1"],
      port: 5080,
      enabled: false,
      locked: true,
      capacity: 30,
      replyAddress: "contact",
      calleeRewrite: { strip: 1 },
    });
    expect(parsed).toMatchObject({
      enabled: false,
      locked: true,
      port: 5080,
      capacity: 30,
      replyAddress: "contact",
      calleeRewrite: { strip: 1, prefix: "" },
    });
  });

  it("stores each address once after canonicalisation, in the order given", () => {
    const parsed = createMappingGatewaySchema.parse({
      name: "acme",
      authMode: "ip",
      ipAddresses: ["2001:DB8::1", "192.0.2.1", "2001:db8::1", "2001:0db8:0:0:0:0:0:1", " 192.0.2.1 "],
    });
    expect(parsed.ipAddresses).toEqual(["2001:db8::1", "192.0.2.1"]);
  });

  it("removes repeated prefixes and routing groups", () => {
    const parsed = createMappingGatewaySchema.parse({
      name: "acme",
      authMode: "password",
      calleeAllowPrefixes: ["44", " 44", "33"],
      calleeDenyPrefixes: ["900", "900"],
      routingGroups: ["uk", "uk", "fr"],
    });
    expect(parsed.calleeAllowPrefixes).toEqual(["44", "33"]);
    expect(parsed.calleeDenyPrefixes).toEqual(["900"]);
    expect(parsed.routingGroups).toEqual(["uk", "fr"]);
  });

  it("refuses unknown keys (a typo is not silently ignored)", () => {
    const result = createMappingGatewaySchema.safeParse({ name: "acme", authMode: "ip", ipAdresses: ["192.0.2.1"] });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ code: "unrecognized_keys", keys: ["ipAdresses"] });
  });

  it("refuses an unknown auth mode with the message listing the modes", () => {
    const result = createMappingGatewaySchema.safeParse({ name: "acme", authMode: "tls" });
    expect(result.error!.issues.map((i) => i.message)).toEqual(["authMode must be ip, ip-port or password"]);
  });

  it("points at the bad address in the list", () => {
    const result = createMappingGatewaySchema.safeParse({
      name: "acme",
      authMode: "ip",
      ipAddresses: ["192.0.2.1", "nope"],
    });
    expect(result.error!.issues).toMatchObject([
      { path: ["ipAddresses", 1], message: '"nope" is not an IPv4 or IPv6 address' },
    ]);
  });

  it("refuses more than 32 addresses", () => {
    const ipAddresses = Array.from({ length: 33 }, (_, i) => `192.0.2.${i + 1}`);
    const result = createMappingGatewaySchema.safeParse({ name: "acme", authMode: "ip", ipAddresses });
    expect(result.error!.issues.map((i) => i.message)).toEqual(["at most 32 IP addresses"]);
  });
});

describe("updateMappingGatewaySchema", () => {
  it("applies no defaults, so a PATCH keeps what it does not send", () => {
    expect(updateMappingGatewaySchema.parse({ version: 3 })).toEqual({ version: 3 });
  });

  it("returns only the fields sent, canonicalised", () => {
    expect(
      updateMappingGatewaySchema.parse({ version: 7, ipAddresses: ["2001:DB8::1", "2001:db8::1"], enabled: false }),
    ).toEqual({
      version: 7,
      ipAddresses: ["2001:db8::1"],
      enabled: false,
    });
  });

  it("requires the version the change was based on", () => {
    const result = updateMappingGatewaySchema.safeParse({ enabled: false });
    expect(result.error!.issues).toMatchObject([
      { path: ["version"], message: "version is required (the version the change was based on)" },
    ]);
  });

  it("still validates the fields it receives", () => {
    const result = updateMappingGatewaySchema.safeParse({ version: 1, port: 70000 });
    expect(result.error!.issues.map((i) => i.message)).toEqual(["port must be a whole number from 1 to 65535"]);
  });

  it("refuses unknown keys", () => {
    expect(updateMappingGatewaySchema.safeParse({ version: 1, id: "abc" }).success).toBe(false);
  });
});

describe("mappingGatewayRuleIssues", () => {
  it.each<[string, Partial<MappingGatewayConfig>, boolean, Array<{ path: string; message: string }>]>([
    [
      "password mode without a password",
      { authMode: "password", ipAddresses: [] },
      false,
      [{ path: "password", message: "Password mode needs a password" }],
    ],
    ["password mode with a password", { authMode: "password", ipAddresses: [] }, true, []],
    [
      "password mode with addresses and a username",
      { authMode: "password", ipAddresses: ["192.0.2.1"], authUsername: "pbx1" },
      true,
      [],
    ],
    [
      "ip mode without addresses",
      { authMode: "ip", ipAddresses: [] },
      false,
      [{ path: "ipAddresses", message: "IP mode needs at least one IP address" }],
    ],
    ["ip mode with an address", { authMode: "ip", ipAddresses: ["192.0.2.1"] }, false, []],
    ["ip mode with a password set", { authMode: "ip", ipAddresses: ["192.0.2.1"] }, true, []],
    [
      "ip-port mode without addresses",
      { authMode: "ip-port", ipAddresses: [], port: 5060 },
      false,
      [{ path: "ipAddresses", message: "IP+Port mode needs at least one IP address" }],
    ],
    [
      "ip-port mode without a port",
      { authMode: "ip-port", ipAddresses: ["192.0.2.1"], port: null },
      false,
      [{ path: "port", message: "IP+Port mode needs a port" }],
    ],
    [
      "ip-port mode without addresses or port",
      { authMode: "ip-port", ipAddresses: [], port: null },
      false,
      [
        { path: "ipAddresses", message: "IP+Port mode needs at least one IP address" },
        { path: "port", message: "IP+Port mode needs a port" },
      ],
    ],
    ["ip-port mode with address and port", { authMode: "ip-port", ipAddresses: ["192.0.2.1"], port: 5060 }, false, []],
    [
      "a prefix both allowed and denied",
      { calleeAllowPrefixes: ["33", "44"], calleeDenyPrefixes: ["44"] },
      false,
      [{ path: "calleeDenyPrefixes", message: "prefix 44 is both allowed and denied" }],
    ],
    ["different allowed and denied prefixes", { calleeAllowPrefixes: ["44"], calleeDenyPrefixes: ["4470"] }, false, []],
  ])("%s", (_label, overrides, hasPassword, issues) => {
    expect(mappingGatewayRuleIssues(config(overrides), hasPassword)).toEqual(issues);
  });

  it("reports every broken rule at once", () => {
    const issues = mappingGatewayRuleIssues(
      config({ authMode: "password", calleeAllowPrefixes: ["1"], calleeDenyPrefixes: ["1"] }),
      false,
    );
    expect(issues.map((i) => i.message)).toEqual([
      "Password mode needs a password",
      "prefix 1 is both allowed and denied",
    ]);
  });
});

describe("digestUsernameOf", () => {
  it("uses the gateway's own username when set", () => {
    expect(digestUsernameOf({ name: "Acme PBX", authUsername: "acme01" })).toBe("acme01");
  });

  it("falls back to the gateway name", () => {
    expect(digestUsernameOf({ name: "acme-pbx", authUsername: null })).toBe("acme-pbx");
  });
});

describe("mappingGatewayListQuerySchema", () => {
  it("has defaults for sort, order, page and pageSize", () => {
    expect(mappingGatewayListQuerySchema.parse({})).toEqual({ sort: "name", order: "asc", page: 1, pageSize: 50 });
  });

  it("coerces query-string text into numbers and booleans", () => {
    expect(
      mappingGatewayListQuerySchema.parse({ page: "3", pageSize: "500", enabled: "true", search: "  acme " }),
    ).toEqual({
      page: 3,
      pageSize: 500,
      enabled: true,
      search: "acme",
      sort: "name",
      order: "asc",
    });
    expect(mappingGatewayListQuerySchema.parse({ enabled: "false" }).enabled).toBe(false);
  });

  it.each<[Record<string, string>, string]>([
    [{ pageSize: "501" }, "pageSize must be at most 500"],
    [{ pageSize: "0" }, "pageSize must be at least 1"],
    [{ pageSize: "lots" }, "pageSize must be a number"],
    [{ page: "0" }, "page must be 1 or more"],
    [{ enabled: "yes" }, "enabled must be true or false"],
    [{ sort: "ip" }, "sort must be name, priority, capacity, authMode or updatedAt"],
    [{ order: "up" }, "order must be asc or desc"],
    [{ authMode: "tls" }, "authMode must be ip, ip-port or password"],
    [{ search: "x".repeat(101) }, "search must be at most 100 characters"],
  ])("refuses %j with %j", (query, message) => {
    const result = mappingGatewayListQuerySchema.safeParse(query);
    expect(result.error!.issues.map((i) => i.message)).toEqual([message]);
  });
});
