import { createHash } from "node:crypto";
import { db, sqliteConnection } from "@/lib/server/db";
import { decryptSecret } from "@/lib/server/secret-box";
import { mappingFieldsOf, type MappingGatewayRow } from "@/lib/server/mapping-gateways";
import { routingFieldsOf, type RoutingGatewayRow } from "@/lib/server/routing-gateways";
import type { ConfigContent, ConfigSnapshot } from "@/lib/domain/config-snapshot";
import { canonicalContentWithTexts, type GatewayTexts } from "@/lib/domain/snapshot-delta";
import type { ConfigSource, SourceMappingGateway, SourceRoutingGateway } from "@/lib/domain/config-source";
import { defaultParameterValues, type ParameterValue } from "@/lib/domain/parameter-catalog";
import { digestUsernameOf } from "@/lib/domain/mapping-gateway";
import type { RewriteRule } from "@/lib/domain/gateway-fields";

export function emptySource(): ConfigSource {
  return { parameters: defaultParameterValues(), mappingGateways: [], routingGateways: [] };
}

type Rows = {
  parameters: Array<{ name: string; value: string }>;
  mapping: MappingGatewayRow[];
  routing: RoutingGatewayRow[];
};

// Every column but the dates, which no reload reads, as arrays (half the time of objects):
// SQLite keeps booleans as 0 and 1.
const MAPPING_SQL = `SELECT "id", "version", "name", "enabled", "locked", "authMode", "ipAddresses", "port", "authUsername", "passwordCipher", "capacity",
  "priority", "calleeAllowPrefixes", "calleeDenyPrefixes", "callerRewrite", "calleeRewrite", "routingGroups", "replyAddress", "memo"
  FROM "MappingGateway" ORDER BY "name" ASC`;
type MappingValues = [
  string,
  number,
  string,
  number,
  number,
  string,
  string,
  number | null,
  string | null,
  string | null,
  number,
  number,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
const mappingRow = ([
  id,
  version,
  name,
  enabled,
  locked,
  authMode,
  ipAddresses,
  port,
  authUsername,
  passwordCipher,
  capacity,
  priority,
  calleeAllowPrefixes,
  calleeDenyPrefixes,
  callerRewrite,
  calleeRewrite,
  routingGroups,
  replyAddress,
  memo,
]: MappingValues): MappingGatewayRow => ({
  id,
  version,
  name,
  enabled: enabled === 1,
  locked: locked === 1,
  authMode,
  ipAddresses,
  port,
  authUsername,
  passwordCipher,
  capacity,
  priority,
  calleeAllowPrefixes,
  calleeDenyPrefixes,
  callerRewrite,
  calleeRewrite,
  routingGroups,
  replyAddress,
  memo,
});

const ROUTING_SQL = `SELECT "id", "version", "name", "enabled", "kind", "address", "port", "transport", "prefixes", "prefixMode", "priority", "capacity",
  "group", "authUsername", "passwordCipher", "authRealm", "fromUser", "fromDomain", "callerRewrite", "calleeRewrite", "failoverCodes",
  "failoverOnAuthFailure", "memo"
  FROM "RoutingGateway" ORDER BY "name" ASC`;
type RoutingValues = [
  string,
  number,
  string,
  number,
  string,
  string | null,
  number,
  string,
  string,
  string,
  number,
  number,
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string,
  string,
  string,
  number,
  string,
];
const routingRow = ([
  id,
  version,
  name,
  enabled,
  kind,
  address,
  port,
  transport,
  prefixes,
  prefixMode,
  priority,
  capacity,
  group,
  authUsername,
  passwordCipher,
  authRealm,
  fromUser,
  fromDomain,
  callerRewrite,
  calleeRewrite,
  failoverCodes,
  failoverOnAuthFailure,
  memo,
]: RoutingValues): RoutingGatewayRow => ({
  id,
  version,
  name,
  enabled: enabled === 1,
  kind,
  address,
  port,
  transport,
  prefixes,
  prefixMode,
  priority,
  capacity,
  group,
  authUsername,
  passwordCipher,
  authRealm,
  fromUser,
  fromDomain,
  callerRewrite,
  calleeRewrite,
  failoverCodes,
  failoverOnAuthFailure: failoverOnAuthFailure === 1,
  memo,
});

/**
 * The rows straight from Prisma's own SQLite connection when it is open: Prisma's mapping of
 * 30,000 rows is most of a reload's read (issue 7). Statements in one synchronous call see one
 * state of the database, as Prisma's queries on that connection would.
 */
function readRowsDirectly(): Rows | null {
  const connection = sqliteConnection();
  if (!connection) return null;
  const values = <T>(sql: string) => connection.prepare(sql).safeIntegers(false).raw().all() as T[];
  return {
    parameters: values<[string, string]>(`SELECT "name", "value" FROM "Parameter"`).map(([name, value]) => ({
      name,
      value,
    })),
    mapping: values<MappingValues>(MAPPING_SQL).map(mappingRow),
    routing: values<RoutingValues>(ROUTING_SQL).map(routingRow),
  };
}

async function readRows(throughPrisma: boolean): Promise<Rows> {
  const direct = throughPrisma ? null : readRowsDirectly();
  if (direct) return direct;
  const [parameters, mapping, routing] = await Promise.all([
    db.parameter.findMany({ select: { name: true, value: true } }),
    db.mappingGateway.findMany({ orderBy: { name: "asc" } }),
    db.routingGateway.findMany({ orderBy: { name: "asc" } }),
  ]);
  return { parameters, mapping, routing };
}

/**
 * The configuration as operators saved it (pending edits included). `throughPrisma`: never the
 * direct read (a test compares the two).
 */
export async function loadCurrentSource({ throughPrisma = false } = {}): Promise<ConfigSource> {
  const { parameters: parameterRows, mapping, routing } = await readRows(throughPrisma);
  const parameters: Record<string, ParameterValue> = defaultParameterValues();
  for (const row of parameterRows)
    if (row.name in parameters) parameters[row.name] = JSON.parse(row.value) as ParameterValue;
  return {
    parameters,
    mappingGateways: mapping.map((r): SourceMappingGateway => ({
      ...mappingFieldsOf(r),
      passwordCipher: r.passwordCipher,
    })),
    routingGateways: routing.map((r): SourceRoutingGateway => ({
      ...routingFieldsOf(r),
      passwordCipher: r.passwordCipher,
    })),
  };
}

const hex = (algorithm: string, text: string) => createHash(algorithm).update(text).digest("hex");

/** How a stored password becomes clear text: decrypted for the engine, or a stand-in where only its presence matters. */
export type RevealSecret = (cipher: string) => string;

/** For the route simulator: a password is there or not, its value is never read. */
export const notRevealed: RevealSecret = () => "(not revealed)";

type Ha1 = { md5: string; sha256: string };
const ha1Of = (username: string, realm: string, password: string): Ha1 => ({
  md5: hex("md5", `${username}:${realm}:${password}`),
  sha256: hex("sha256", `${username}:${realm}:${password}`),
});

// Decrypting and hashing every password is most of a reload's build with thousands of Password
// gateways (issue 7). HA1 depends only on username, realm and password, so the last build's values
// are kept by ciphertext; only for real passwords, never for a RevealSecret stand-in.
let ha1Cache = new Map<string, Ha1>();

function storedHa1(
  username: string,
  realm: string,
  cipher: string,
  reveal: RevealSecret,
  kept: Map<string, Ha1> | null,
): Ha1 {
  if (!kept) return ha1Of(username, realm, reveal(cipher));
  const key = `${username}\n${realm}\n${cipher}`;
  const ha1 = ha1Cache.get(key) ?? ha1Of(username, realm, reveal(cipher));
  kept.set(key, ha1);
  return ha1;
}

const rule = (r: RewriteRule): RewriteRule => ({ prefix: r.prefix, strip: r.strip });

/**
 * What the engine gets (DESIGN.md): mapping-gateway passwords only as digest HA1 for the realm
 * (MD5 and SHA-256, RFC 7616 §3.4.2), carrier passwords in clear for answering their challenges.
 */
export function buildEngineContent(source: ConfigSource, reveal: RevealSecret = decryptSecret): ConfigContent {
  const realm = String(source.parameters.SS_SIP_DOMAIN);
  // Only what this build used is kept, so the cache never outgrows the configuration.
  const kept = reveal === decryptSecret ? new Map<string, Ha1>() : null;
  const content: ConfigContent = {
    mappingGateways: source.mappingGateways.map((g) => {
      const digestUsername = digestUsernameOf(g);
      const ha1 =
        g.authMode === "password" && g.passwordCipher
          ? storedHa1(digestUsername, realm, g.passwordCipher, reveal, kept)
          : null;
      return {
        authMode: g.authMode,
        calleeAllowPrefixes: g.calleeAllowPrefixes,
        calleeDenyPrefixes: g.calleeDenyPrefixes,
        calleeRewrite: rule(g.calleeRewrite),
        callerRewrite: rule(g.callerRewrite),
        capacity: g.capacity,
        digestUsername,
        enabled: g.enabled,
        ha1Md5: ha1?.md5 ?? null,
        ha1Sha256: ha1?.sha256 ?? null,
        id: g.id,
        ipAddresses: g.ipAddresses,
        locked: g.locked,
        name: g.name,
        port: g.port,
        priority: g.priority,
        replyAddress: g.replyAddress,
        routingGroups: g.routingGroups,
        version: g.version,
      };
    }),
    parameters: { ...source.parameters },
    routingGateways: source.routingGateways.map((g) => ({
      address: g.address,
      authRealm: g.authRealm,
      authUsername: g.authUsername,
      calleeRewrite: rule(g.calleeRewrite),
      callerRewrite: rule(g.callerRewrite),
      capacity: g.capacity,
      enabled: g.enabled,
      failoverCodes: g.failoverCodes,
      failoverOnAuthFailure: g.failoverOnAuthFailure,
      fromDomain: g.fromDomain,
      fromUser: g.fromUser,
      group: g.group,
      id: g.id,
      kind: g.kind,
      name: g.name,
      password: g.passwordCipher ? reveal(g.passwordCipher) : null,
      port: g.port,
      prefixMode: g.prefixMode,
      prefixes: g.prefixes,
      priority: g.priority,
      transport: g.transport,
      version: g.version,
    })),
  };
  if (kept) ha1Cache = kept;
  return content;
}

/** The engine's snapshot, its JSON text to push and to store (serialised once), and each gateway's text for differences. */
export type BuiltSnapshot = { snapshot: ConfigSnapshot; json: string; texts: GatewayTexts };

export function buildEngineSnapshotJson(
  source: ConfigSource,
  version: number,
  createdAt: Date,
  reveal: RevealSecret = decryptSecret,
): BuiltSnapshot {
  const content = buildEngineContent(source, reveal);
  const { chunks, texts } = canonicalContentWithTexts(content);
  const hash = createHash("sha256");
  for (const chunk of chunks) hash.update(chunk);
  const head = { version, hash: hash.digest("hex"), createdAt: createdAt.toISOString() };
  // The content's opening brace is the snapshot's: the head's fields go in front of its first key.
  return {
    snapshot: { ...head, ...content },
    json: `${JSON.stringify(head).slice(0, -1)},${chunks.join("").slice(1)}`,
    texts,
  };
}

export function buildEngineSnapshot(
  source: ConfigSource,
  version: number,
  createdAt: Date,
  reveal: RevealSecret = decryptSecret,
): ConfigSnapshot {
  return buildEngineSnapshotJson(source, version, createdAt, reveal).snapshot;
}
