import { z } from "zod";
import { defaultParameterValues, parameterCatalog } from "@/lib/domain/parameter-catalog";
import { parseParameterValue } from "@/lib/domain/parameter-value";
import { mappingAuthModes, replyAddressPolicies } from "@/lib/domain/mapping-gateway";
import { prefixModes, routingKinds, transports } from "@/lib/domain/routing-gateway";

// The contract between console and engine: one immutable, versioned configuration.

const parameterValueSchema = z.union([z.number(), z.string(), z.boolean()]);

/**
 * Every catalog parameter with a valid value. One the snapshot lacks takes its default: a snapshot
 * stored before a parameter existed (an upgrade) still runs, with the behaviour it had.
 */
export const snapshotParametersSchema = z.preprocess(
  (values) =>
    typeof values === "object" && values !== null && !Array.isArray(values)
      ? { ...defaultParameterValues(), ...values }
      : values,
  z.record(z.string(), parameterValueSchema).superRefine((values, ctx) => {
    for (const def of parameterCatalog) {
      const parsed = parseParameterValue(def, values[def.name]);
      if (!parsed.ok) ctx.addIssue({ code: "custom", path: [def.name], message: parsed.error });
    }
    for (const name of Object.keys(values)) {
      if (!parameterCatalog.some((p) => p.name === name)) {
        ctx.addIssue({ code: "custom", path: [name], message: `${name} is not a known parameter` });
      }
    }
  }),
);

const rewrite = z.object({ strip: z.number().int().min(0).max(32), prefix: z.string() });

/** A mapping gateway as the engine gets it: the password only as digest HA1 for the snapshot's realm. */
export const snapshotMappingGatewaySchema = z.object({
  id: z.string(),
  version: z.number().int(),
  name: z.string(),
  enabled: z.boolean(),
  locked: z.boolean(),
  authMode: z.enum(mappingAuthModes),
  ipAddresses: z.array(z.string()),
  port: z.number().int().nullable(),
  digestUsername: z.string(),
  ha1Md5: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .nullable(),
  ha1Sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  capacity: z.number().int(),
  priority: z.number().int(),
  calleeAllowPrefixes: z.array(z.string()),
  calleeDenyPrefixes: z.array(z.string()),
  callerRewrite: rewrite,
  calleeRewrite: rewrite,
  routingGroups: z.array(z.string()),
  replyAddress: z.enum(replyAddressPolicies),
});
export type SnapshotMappingGateway = z.infer<typeof snapshotMappingGatewaySchema>;

/** A routing gateway as the engine gets it: the carrier password in clear (control API only). */
export const snapshotRoutingGatewaySchema = z.object({
  id: z.string(),
  version: z.number().int(),
  name: z.string(),
  enabled: z.boolean(),
  kind: z.enum(routingKinds),
  address: z.string().nullable(),
  port: z.number().int(),
  transport: z.enum(transports),
  prefixes: z.array(z.string()),
  prefixMode: z.enum(prefixModes),
  priority: z.number().int(),
  capacity: z.number().int(),
  group: z.string(),
  authUsername: z.string().nullable(),
  password: z.string().nullable(),
  authRealm: z.string().nullable(),
  fromUser: z.string().nullable(),
  fromDomain: z.string().nullable(),
  callerRewrite: rewrite,
  calleeRewrite: rewrite,
  failoverCodes: z.array(z.number().int()),
  /**
   * Credentials refused by this carrier (a second challenge, or 403 after them): try the next one.
   * Snapshots made before the field existed do not have it: they fail over, as the migration set it.
   */
  failoverOnAuthFailure: z.boolean().default(true),
});
export type SnapshotRoutingGateway = z.infer<typeof snapshotRoutingGatewaySchema>;

export const configContentSchema = z.object({
  parameters: snapshotParametersSchema,
  mappingGateways: z.array(snapshotMappingGatewaySchema).default([]),
  routingGateways: z.array(snapshotRoutingGatewaySchema).default([]),
});
export type ConfigContent = z.infer<typeof configContentSchema>;

export const configSnapshotSchema = configContentSchema.extend({
  version: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
});
export type ConfigSnapshot = z.infer<typeof configSnapshotSchema>;

/** Canonical JSON (keys sorted) so that the hash names the content, not its key order. */
export function canonicalJson(value: unknown): string {
  // Native JSON.stringify does the work; the replacer only hands it each object with sorted keys.
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

const sortedKeys = (shape: object) => Object.keys(shape).sort();
const MAPPING_KEYS = sortedKeys(snapshotMappingGatewaySchema.shape);
const ROUTING_KEYS = sortedKeys(snapshotRoutingGatewaySchema.shape);
const REWRITE_KEYS = sortedKeys(rewrite.shape);

function pick(value: object, keys: readonly string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of keys) copy[key] = (value as Record<string, unknown>)[key];
  return copy;
}

function sortedGateway(
  g: SnapshotMappingGateway | SnapshotRoutingGateway,
  keys: readonly string[],
): Record<string, unknown> {
  const copy = pick(g, keys);
  copy.callerRewrite = pick(g.callerRewrite, REWRITE_KEYS);
  copy.calleeRewrite = pick(g.calleeRewrite, REWRITE_KEYS);
  return copy;
}

/**
 * canonicalJson of a snapshot's content, in pieces for a hash to take one by one, faster on 30,000
 * gateways (reload, issue 7): the schemas name every key, so each gateway is copied with its keys
 * in sorted order and native JSON.stringify does the rest without a replacer call per value. Keys
 * the schemas do not know are left out, as the engine's parse drops them. `memo` keeps each
 * gateway's text by object, for a caller whose gateway objects are immutable and outlive one call.
 */
export function writeCanonicalContent(
  content: ConfigContent,
  write: (piece: string) => void,
  memo?: WeakMap<object, string>,
): void {
  const gateways = (
    name: string,
    list: ReadonlyArray<SnapshotMappingGateway | SnapshotRoutingGateway>,
    keys: readonly string[],
  ) => {
    write(`"${name}":[`);
    list.forEach((g, i) => {
      let text = memo?.get(g);
      if (text === undefined) {
        text = JSON.stringify(sortedGateway(g, keys));
        memo?.set(g, text);
      }
      write(i === 0 ? text : `,${text}`);
    });
    write("]");
  };
  write("{");
  gateways("mappingGateways", content.mappingGateways, MAPPING_KEYS);
  write(`,"parameters":${JSON.stringify(pick(content.parameters, Object.keys(content.parameters).sort()))},`);
  gateways("routingGateways", content.routingGateways, ROUTING_KEYS);
  write("}");
}

const CHUNK_CHARS = 1 << 20;

/**
 * writeCanonicalContent gathered into pieces of about 1 MB: hashing or writing 30,000 gateways one
 * piece at a time costs three times as much as a dozen large pieces (issue 7).
 */
export function canonicalContentChunks(content: ConfigContent, memo?: WeakMap<object, string>): string[] {
  const chunks: string[] = [];
  let pending: string[] = [];
  let size = 0;
  writeCanonicalContent(
    content,
    (piece) => {
      pending.push(piece);
      size += piece.length;
      if (size < CHUNK_CHARS) return;
      chunks.push(pending.join(""));
      pending = [];
      size = 0;
    },
    memo,
  );
  chunks.push(pending.join(""));
  return chunks;
}
