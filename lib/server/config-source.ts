import { createHash } from "node:crypto";
import { db } from "@/lib/server/db";
import { decryptSecret } from "@/lib/server/secret-box";
import { toMappingView } from "@/lib/server/mapping-gateways";
import { toRoutingView } from "@/lib/server/routing-gateways";
import { canonicalJson, type ConfigContent, type ConfigSnapshot } from "@/lib/domain/config-snapshot";
import type { ConfigSource, SourceMappingGateway, SourceRoutingGateway } from "@/lib/domain/config-source";
import { defaultParameterValues, type ParameterValue } from "@/lib/domain/parameter-catalog";
import { digestUsernameOf } from "@/lib/domain/mapping-gateway";

export function emptySource(): ConfigSource {
  return { parameters: defaultParameterValues(), mappingGateways: [], routingGateways: [] };
}

function strip<T extends { createdAt: string; updatedAt: string; hasPassword: boolean }>(view: T) {
  const { createdAt: _c, updatedAt: _u, hasPassword: _h, ...rest } = view;
  return rest;
}

/** The configuration as operators saved it (pending edits included). */
export async function loadCurrentSource(): Promise<ConfigSource> {
  const [parameterRows, mapping, routing] = await Promise.all([
    db.parameter.findMany(),
    db.mappingGateway.findMany({ orderBy: { name: "asc" } }),
    db.routingGateway.findMany({ orderBy: { name: "asc" } }),
  ]);
  const parameters: Record<string, ParameterValue> = defaultParameterValues();
  for (const row of parameterRows) if (row.name in parameters) parameters[row.name] = JSON.parse(row.value) as ParameterValue;
  return {
    parameters,
    mappingGateways: mapping.map((r): SourceMappingGateway => ({ ...strip(toMappingView(r)), passwordCipher: r.passwordCipher })),
    routingGateways: routing.map((r): SourceRoutingGateway => ({ ...strip(toRoutingView(r)), passwordCipher: r.passwordCipher })),
  };
}

export function hashConfigContent(content: ConfigContent): string {
  return createHash("sha256").update(canonicalJson(content)).digest("hex");
}

const hex = (algorithm: string, text: string) => createHash(algorithm).update(text).digest("hex");

/**
 * What the engine gets (DESIGN.md): mapping-gateway passwords only as digest HA1 for the realm
 * (MD5 and SHA-256, RFC 7616 §3.4.2), carrier passwords in clear for answering their challenges.
 */
export function buildEngineContent(source: ConfigSource): ConfigContent {
  const realm = String(source.parameters.SS_SIP_DOMAIN);
  return {
    parameters: source.parameters,
    mappingGateways: source.mappingGateways.map((g) => {
      const digestUsername = digestUsernameOf(g);
      const password = g.authMode === "password" && g.passwordCipher ? decryptSecret(g.passwordCipher) : null;
      return {
        id: g.id, version: g.version, name: g.name, enabled: g.enabled, locked: g.locked, authMode: g.authMode, ipAddresses: g.ipAddresses, port: g.port,
        digestUsername,
        ha1Md5: password === null ? null : hex("md5", `${digestUsername}:${realm}:${password}`),
        ha1Sha256: password === null ? null : hex("sha256", `${digestUsername}:${realm}:${password}`),
        capacity: g.capacity, priority: g.priority, calleeAllowPrefixes: g.calleeAllowPrefixes, calleeDenyPrefixes: g.calleeDenyPrefixes,
        callerRewrite: g.callerRewrite, calleeRewrite: g.calleeRewrite, routingGroups: g.routingGroups, replyAddress: g.replyAddress,
      };
    }),
    routingGateways: source.routingGateways.map((g) => ({
      id: g.id, version: g.version, name: g.name, enabled: g.enabled, kind: g.kind, address: g.address, port: g.port, transport: g.transport,
      prefixes: g.prefixes, prefixMode: g.prefixMode, priority: g.priority, capacity: g.capacity, group: g.group,
      authUsername: g.authUsername, password: g.passwordCipher ? decryptSecret(g.passwordCipher) : null, authRealm: g.authRealm,
      fromUser: g.fromUser, fromDomain: g.fromDomain, callerRewrite: g.callerRewrite, calleeRewrite: g.calleeRewrite, failoverCodes: g.failoverCodes,
    })),
  };
}

export function buildEngineSnapshot(source: ConfigSource, version: number, createdAt: Date): ConfigSnapshot {
  const content = buildEngineContent(source);
  return { version, hash: hashConfigContent(content), createdAt: createdAt.toISOString(), ...content };
}
