// Test support: mapping and routing gateways as a snapshot carries them, with overrides.
import type { SnapshotMappingGateway, SnapshotRoutingGateway } from "@/lib/domain/config-snapshot";

export function mappingGateway(over: Partial<SnapshotMappingGateway> = {}): SnapshotMappingGateway {
  return {
    id: "m1",
    version: 1,
    name: "pbx",
    enabled: true,
    locked: false,
    authMode: "ip",
    ipAddresses: ["192.0.2.10"],
    port: null,
    digestUsername: "pbx",
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
  };
}

export function routingGateway(id: string, over: Partial<SnapshotRoutingGateway> = {}): SnapshotRoutingGateway {
  return {
    id,
    version: 1,
    name: id,
    enabled: true,
    kind: "static",
    address: "203.0.113.5",
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
    failoverCodes: [408, 480, 500, 502, 503, 504],
    failoverOnAuthFailure: true,
    ...over,
  };
}
