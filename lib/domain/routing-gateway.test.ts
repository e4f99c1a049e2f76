import { describe, expect, it } from "vitest";
import {
  createRoutingGatewaySchema,
  routingGatewayRuleIssues,
  updateRoutingGatewaySchema,
  type RoutingGatewayConfig,
} from "@/lib/domain/routing-gateway";

type Kind = RoutingGatewayConfig["kind"];

function config(kind: Kind, address: boolean, username: boolean): RoutingGatewayConfig {
  const { password: _password, ...parsed } = createRoutingGatewaySchema.parse({
    name: "carrier-a",
    kind,
    address: address ? "sip.carrier.example" : null,
    authUsername: username ? "acct1" : null,
  });
  return parsed;
}

const STATIC_ADDRESS = { path: "address", message: "A static routing gateway needs an address" };
const REGOUT_ADDRESS = { path: "address", message: "A register-out routing gateway needs an address" };
const NEEDS_USERNAME = { path: "authUsername", message: "A password needs a username to go with it" };
const NEEDS_PASSWORD = { path: "password", message: "A username needs a password to go with it" };
const DYNAMIC_USERNAME = {
  path: "authUsername",
  message: "A dynamic routing gateway needs a username: it registers to us with digest",
};
const DYNAMIC_PASSWORD = {
  path: "password",
  message: "A dynamic routing gateway needs a password: it registers to us with digest",
};
const REGOUT_USERNAME = {
  path: "authUsername",
  message: "A register-out routing gateway needs a username: we register to the carrier with them",
};
const REGOUT_PASSWORD = {
  path: "password",
  message: "A register-out routing gateway needs a password: we register to the carrier with them",
};

describe("createRoutingGatewaySchema", () => {
  it("fills every default an operator leaves out", () => {
    expect(createRoutingGatewaySchema.parse({ name: "carrier-a", address: "SIP.Carrier.Example" })).toEqual({
      name: "carrier-a",
      address: "sip.carrier.example",
      enabled: true,
      kind: "static",
      port: 5060,
      transport: "udp",
      prefixes: [],
      prefixMode: "stop",
      priority: 0,
      capacity: 0,
      group: "default",
      authUsername: null,
      authRealm: null,
      fromUser: null,
      fromDomain: null,
      callerRewrite: { strip: 0, prefix: "" },
      calleeRewrite: { strip: 0, prefix: "" },
      failoverCodes: [408, 480, 500, 502, 503, 504],
      failoverOnAuthFailure: true,
      memo: "",
    });
  });

  it("keeps failoverOnAuthFailure off when asked, and names it when it is not a boolean", () => {
    expect(createRoutingGatewaySchema.parse({ name: "a", failoverOnAuthFailure: false }).failoverOnAuthFailure).toBe(
      false,
    );
    const result = createRoutingGatewaySchema.safeParse({ name: "a", failoverOnAuthFailure: "no" });
    expect(result.error!.issues).toMatchObject([
      { path: ["failoverOnAuthFailure"], message: "failoverOnAuthFailure must be true or false" },
    ]);
  });

  it("does not share the default failover list between gateways", () => {
    const a = createRoutingGatewaySchema.parse({ name: "a" });
    a.failoverCodes.push(486);
    expect(createRoutingGatewaySchema.parse({ name: "b" }).failoverCodes).toEqual([408, 480, 500, 502, 503, 504]);
  });

  it("refuses failover codes outside 400-699", () => {
    const result = createRoutingGatewaySchema.safeParse({ name: "a", failoverCodes: [503, 302] });
    expect(result.error!.issues).toMatchObject([
      { path: ["failoverCodes", 1], message: "failover codes must be SIP codes from 400 to 699" },
    ]);
  });

  it("refuses a bad host name in the address", () => {
    const result = createRoutingGatewaySchema.safeParse({ name: "a", address: "sip..carrier" });
    expect(result.error!.issues.map((i) => i.message)).toEqual(['"sip..carrier" is not a host name or IP address']);
  });

  it("refuses unknown keys", () => {
    expect(createRoutingGatewaySchema.safeParse({ name: "a", adress: "x.example" }).success).toBe(false);
  });
});

describe("updateRoutingGatewaySchema", () => {
  it("applies no defaults, so a PATCH keeps what it does not send", () => {
    expect(updateRoutingGatewaySchema.parse({ version: 3 })).toEqual({ version: 3 });
  });

  it("returns only the fields sent", () => {
    expect(updateRoutingGatewaySchema.parse({ version: 2, port: 5080, address: null })).toEqual({
      version: 2,
      port: 5080,
      address: null,
    });
  });

  it("changes failoverOnAuthFailure only when sent, and refuses a value that is not a boolean", () => {
    expect(updateRoutingGatewaySchema.parse({ version: 4, failoverOnAuthFailure: false })).toEqual({
      version: 4,
      failoverOnAuthFailure: false,
    });
    expect(updateRoutingGatewaySchema.parse({ version: 4, memo: "x" })).not.toHaveProperty("failoverOnAuthFailure");
    expect(
      updateRoutingGatewaySchema.safeParse({ version: 4, failoverOnAuthFailure: null }).error!.issues,
    ).toMatchObject([{ path: ["failoverOnAuthFailure"], message: "failoverOnAuthFailure must be true or false" }]);
  });

  it("requires the version the change was based on", () => {
    const result = updateRoutingGatewaySchema.safeParse({ port: 5080 });
    expect(result.error!.issues).toMatchObject([
      { path: ["version"], message: "version is required (the version the change was based on)" },
    ]);
  });
});

describe("routingGatewayRuleIssues", () => {
  // kind, has address, has username, has password → issues
  it.each<[Kind, boolean, boolean, boolean, Array<{ path: string; message: string }>]>([
    ["static", true, true, true, []],
    ["static", true, true, false, [NEEDS_PASSWORD]],
    ["static", true, false, true, [NEEDS_USERNAME]],
    ["static", true, false, false, []],
    ["static", false, true, true, [STATIC_ADDRESS]],
    ["static", false, true, false, [STATIC_ADDRESS, NEEDS_PASSWORD]],
    ["static", false, false, true, [STATIC_ADDRESS, NEEDS_USERNAME]],
    ["static", false, false, false, [STATIC_ADDRESS]],
    ["dynamic", true, true, true, []],
    ["dynamic", true, true, false, [DYNAMIC_PASSWORD]],
    ["dynamic", true, false, true, [DYNAMIC_USERNAME]],
    ["dynamic", true, false, false, [DYNAMIC_USERNAME, DYNAMIC_PASSWORD]],
    ["dynamic", false, true, true, []],
    ["dynamic", false, true, false, [DYNAMIC_PASSWORD]],
    ["dynamic", false, false, true, [DYNAMIC_USERNAME]],
    ["dynamic", false, false, false, [DYNAMIC_USERNAME, DYNAMIC_PASSWORD]],
    ["register-out", true, true, true, []],
    ["register-out", true, true, false, [REGOUT_PASSWORD]],
    ["register-out", true, false, true, [REGOUT_USERNAME]],
    ["register-out", true, false, false, [REGOUT_USERNAME, REGOUT_PASSWORD]],
    ["register-out", false, true, true, [REGOUT_ADDRESS]],
    ["register-out", false, true, false, [REGOUT_ADDRESS, REGOUT_PASSWORD]],
    ["register-out", false, false, true, [REGOUT_ADDRESS, REGOUT_USERNAME]],
    ["register-out", false, false, false, [REGOUT_ADDRESS, REGOUT_USERNAME, REGOUT_PASSWORD]],
  ])("%s, address %s, username %s, password %s", (kind, address, username, password, issues) => {
    expect(routingGatewayRuleIssues(config(kind, address, username), password)).toEqual(issues);
  });
});
