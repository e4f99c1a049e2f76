import { createHash } from "node:crypto";
import type { ConfigSnapshot, SnapshotMappingGateway, SnapshotRoutingGateway } from "../../lib/domain/config-snapshot";
import { defaultParameterValues } from "../../lib/domain/parameter-catalog";
import { hashSnapshotContent } from "../../lib/engine/snapshot-check";
import type { EngineProcess } from "./engine-process";

// Snapshots as the console would push them: parameters over the catalog defaults and mapping
// gateways, the password only as HA1 for the realm (SS_SIP_DOMAIN).

export const DEFAULT_REALM = "softswitch.local";

type Parameters = Record<string, string | number | boolean>;

function baseGateway(name: string): SnapshotMappingGateway {
  return {
    id: `id-${name}`,
    version: 1,
    name,
    enabled: true,
    locked: false,
    authMode: "ip",
    ipAddresses: [],
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
  };
}

/** A Password mapping gateway whose id is `id-<username>`; no addresses, so its source may be suspended. */
export function passwordGateway(username: string, password: string, realm = DEFAULT_REALM): SnapshotMappingGateway {
  const a1 = `${username}:${realm}:${password}`;
  return {
    ...baseGateway(username),
    authMode: "password",
    digestUsername: username,
    ha1Md5: createHash("md5").update(a1).digest("hex"),
    ha1Sha256: createHash("sha256").update(a1).digest("hex"),
  };
}

export function ipGateway(name: string, ip: string): SnapshotMappingGateway {
  return { ...baseGateway(name), authMode: "ip", ipAddresses: [ip] };
}

export function ipPortGateway(name: string, ip: string, port: number): SnapshotMappingGateway {
  return { ...baseGateway(name), authMode: "ip-port", ipAddresses: [ip], port };
}

/** A static routing gateway (carrier) on 127.0.0.1:`port`; id `id-<name>`, catch-all, default failover codes. */
export function routingGateway(
  name: string,
  port: number,
  over: Partial<SnapshotRoutingGateway> = {},
): SnapshotRoutingGateway {
  return {
    id: `id-${name}`,
    version: 1,
    name,
    enabled: true,
    kind: "static",
    address: "127.0.0.1",
    port,
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

/**
 * Pushes a snapshot one version above what the engine runs (PUT /v1/snapshot) and returns it;
 * throws with the engine's reasons when it is refused.
 */
export async function applyConfig(
  engine: EngineProcess,
  config: {
    parameters?: Parameters;
    mappingGateways?: SnapshotMappingGateway[];
    routingGateways?: SnapshotRoutingGateway[];
  },
): Promise<ConfigSnapshot> {
  const running = (await engine.control("/v1/status")).body.version as number;
  const content = {
    parameters: { ...defaultParameterValues(), ...config.parameters },
    mappingGateways: config.mappingGateways ?? [],
    routingGateways: config.routingGateways ?? [],
  };
  const snapshot: ConfigSnapshot = {
    version: running + 1,
    hash: hashSnapshotContent(content),
    createdAt: new Date().toISOString(),
    ...content,
  };
  const applied = await engine.control("/v1/snapshot", { method: "PUT", body: snapshot });
  if (applied.status !== 200) throw new Error(`snapshot refused: ${JSON.stringify(applied.body)}`);
  return snapshot;
}
