import { createHash } from "node:crypto";
import type { ConfigSnapshot, SnapshotMappingGateway, SnapshotRoutingGateway } from "@/lib/domain/config-snapshot";

// Who a request comes from, built once per applied snapshot (DESIGN.md, order of identification):
// an IP+Port gateway matching address and port, else an IP gateway matching the address, else a
// Password gateway named by the digest username.

export type GatewayIndex = {
  byAddressPort: Map<string, SnapshotMappingGateway>;
  byAddress: Map<string, SnapshotMappingGateway>;
  byUsername: Map<string, SnapshotMappingGateway>;
  /** Dynamic routing gateways: carriers that register to us with digest (their HA1 for our realm). */
  carriersByUsername: Map<string, CarrierAccount>;
  /** Addresses of configured gateways: never suspended by brute-force protection. */
  knownAddresses: string[];
};

export type CarrierAccount = { gateway: SnapshotRoutingGateway; ha1Md5: string; ha1Sha256: string };

export function buildGatewayIndex(snapshot: ConfigSnapshot): GatewayIndex {
  const index: GatewayIndex = {
    byAddressPort: new Map(),
    byAddress: new Map(),
    byUsername: new Map(),
    carriersByUsername: new Map(),
    knownAddresses: [],
  };
  for (const g of snapshot.mappingGateways) {
    index.knownAddresses.push(...g.ipAddresses);
    if (!g.enabled) continue;
    if (g.authMode === "password") index.byUsername.set(g.digestUsername, g);
    for (const ip of g.ipAddresses) {
      if (g.authMode === "ip-port" && g.port !== null) index.byAddressPort.set(`${ip}|${g.port}`, g);
      if (g.authMode === "ip") index.byAddress.set(ip, g);
    }
  }
  const realm = String(snapshot.parameters.SS_SIP_DOMAIN);
  const hash = (algorithm: string, text: string) => createHash(algorithm).update(text).digest("hex");
  for (const r of snapshot.routingGateways) {
    if (r.address) index.knownAddresses.push(r.address);
    if (!r.enabled || r.kind !== "dynamic" || !r.authUsername || !r.password) continue;
    // RFC 7616 §3.4.2: HA1 = H(username:realm:password), as for a Password mapping gateway
    const a1 = `${r.authUsername}:${realm}:${r.password}`;
    index.carriersByUsername.set(r.authUsername, {
      gateway: r,
      ha1Md5: hash("md5", a1),
      ha1Sha256: hash("sha256", a1),
    });
  }
  return index;
}

/** The gateway a source address identifies, without a challenge. */
export function identifyByAddress(
  index: GatewayIndex,
  address: string,
  port: number,
): { gateway: SnapshotMappingGateway; by: "ip-port" | "ip" } | null {
  const exact = index.byAddressPort.get(`${address}|${port}`);
  if (exact) return { gateway: exact, by: "ip-port" };
  const byIp = index.byAddress.get(address);
  return byIp ? { gateway: byIp, by: "ip" } : null;
}
