import { describe, expect, it } from "vitest";
import { diffConfig, type ConfigSource, type SourceMappingGateway } from "@/lib/domain/config-source";

// The pending list: what differs between the running configuration and the saved one.

const gateway: SourceMappingGateway = {
  id: "g1",
  version: 1,
  name: "pbx",
  enabled: true,
  locked: false,
  authMode: "ip",
  ipAddresses: ["10.0.0.1"],
  port: null,
  authUsername: null,
  capacity: 0,
  priority: 0,
  calleeAllowPrefixes: [],
  calleeDenyPrefixes: [],
  callerRewrite: { strip: 0, prefix: "" },
  calleeRewrite: { strip: 0, prefix: "" },
  routingGroups: ["gold"],
  replyAddress: "source",
  memo: "",
  passwordCipher: null,
};
const source = (g: SourceMappingGateway): ConfigSource => ({
  parameters: { SS_NONCE_LIFETIME: 300 },
  mappingGateways: [g],
  routingGateways: [],
});

describe("diffConfig", () => {
  it("finds nothing between equal configurations held in different objects", () => {
    expect(diffConfig(source(gateway), JSON.parse(JSON.stringify(source(gateway))) as ConfigSource)).toEqual([]);
  });

  it("names each changed field, lists and rewrite rules included, and hides passwords", () => {
    const edited = {
      ...gateway,
      version: 2,
      ipAddresses: ["10.0.0.1", "10.0.0.2"],
      callerRewrite: { strip: 1, prefix: "" },
      priority: 5,
      passwordCipher: "v1:x",
    };
    const [change] = diffConfig(source(gateway), source(edited));
    expect(change).toMatchObject({ entity: "mapping-gateway", action: "changed", id: "g1" });
    expect(change.fields).toEqual([
      { field: "ipAddresses", from: ["10.0.0.1"], to: ["10.0.0.1", "10.0.0.2"] },
      { field: "priority", from: 0, to: 5 },
      { field: "callerRewrite", from: { strip: 0, prefix: "" }, to: { strip: 1, prefix: "" } },
      { field: "password", from: "none", to: "(changed)" },
    ]);
  });

  it("tells a list from its reordering, and shows an absent field as null", () => {
    const reordered = { ...gateway, routingGroups: ["silver", "gold"] };
    expect(diffConfig(source({ ...gateway, routingGroups: ["gold", "silver"] }), source(reordered))[0].fields).toEqual([
      { field: "routingGroups", from: ["gold", "silver"], to: ["silver", "gold"] },
    ]);
    const { memo: _memo, ...withoutMemo } = gateway;
    expect(
      diffConfig(source(withoutMemo as SourceMappingGateway), source({ ...gateway, memo: "new" }))[0].fields,
    ).toEqual([{ field: "memo", from: null, to: "new" }]);
  });
});
