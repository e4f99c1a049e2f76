import { z } from "zod";
import {
  capacitySchema,
  digestUsernameSchema,
  ipAddressSchema,
  memoSchema,
  nameSchema,
  portSchema,
  prefixSchema,
  prioritySchema,
  rewriteRuleSchema,
  gatewayListQueryFields,
  gatewayViewFields,
  rewriteViewSchema,
  groupNameSchema,
  secretSchema,
  uniqueList,
  versionSchema,
} from "@/lib/domain/gateway-fields";

// Mapping gateways: who may send us registrations and calls (customers, phones, PBXs).

export const mappingAuthModes = ["ip", "ip-port", "password"] as const;
export const mappingAuthModeLabels: Record<(typeof mappingAuthModes)[number], string> = {
  ip: "IP (source address)",
  "ip-port": "IP+Port (source address and port)",
  password: "Password (SIP digest)",
};
export const replyAddressPolicies = ["source", "via", "contact"] as const;

const list = <T extends z.ZodType>(item: T, max: number, what: string) =>
  z.array(item, { error: `${what} must be a list` }).max(max, `at most ${max} ${what}`);

/** Every editable field; none has a default here, so a PATCH keeps what it does not send. */
const fields = {
  name: nameSchema,
  enabled: z.boolean({ error: "enabled must be true or false" }),
  locked: z.boolean({ error: "locked must be true or false" }),
  authMode: z.enum(mappingAuthModes, { error: "authMode must be ip, ip-port or password" }),
  ipAddresses: list(ipAddressSchema, 32, "IP addresses").transform(uniqueList),
  port: portSchema.nullable(),
  authUsername: digestUsernameSchema.nullable(),
  password: secretSchema,
  capacity: capacitySchema,
  priority: prioritySchema,
  calleeAllowPrefixes: list(prefixSchema, 1000, "allowed prefixes").transform(uniqueList),
  calleeDenyPrefixes: list(prefixSchema, 1000, "denied prefixes").transform(uniqueList),
  callerRewrite: rewriteRuleSchema,
  calleeRewrite: rewriteRuleSchema,
  routingGroups: list(groupNameSchema, 100, "routing groups").transform(uniqueList),
  replyAddress: z.enum(replyAddressPolicies, { error: "replyAddress must be source, via or contact" }),
  memo: memoSchema,
};

export const createMappingGatewaySchema = z.strictObject({
  ...fields,
  enabled: fields.enabled.default(true),
  locked: fields.locked.default(false),
  ipAddresses: fields.ipAddresses.default([]),
  port: fields.port.default(null),
  authUsername: fields.authUsername.default(null),
  password: fields.password.optional(),
  capacity: fields.capacity.default(0),
  priority: fields.priority.default(0),
  calleeAllowPrefixes: fields.calleeAllowPrefixes.default([]),
  calleeDenyPrefixes: fields.calleeDenyPrefixes.default([]),
  callerRewrite: fields.callerRewrite.default({ strip: 0, prefix: "" }),
  calleeRewrite: fields.calleeRewrite.default({ strip: 0, prefix: "" }),
  routingGroups: fields.routingGroups.default([]),
  replyAddress: fields.replyAddress.default("source"),
  memo: fields.memo.default(""),
});
export type CreateMappingGateway = z.infer<typeof createMappingGatewaySchema>;

/** PATCH: merge semantics, so nothing has a default; `version` is the one it was based on. */
export const updateMappingGatewaySchema = z.strictObject(fields).partial().extend({ version: versionSchema });

/** A gateway as stored and shown: the password is write-only, `hasPassword` tells whether one is set. */
export type MappingGatewayConfig = Omit<CreateMappingGateway, "password">;

export const mappingGatewayViewSchema = z.object({
  ...gatewayViewFields,
  locked: z.boolean(),
  authMode: z.enum(mappingAuthModes),
  ipAddresses: z.array(z.string()),
  port: z.number().nullable(),
  authUsername: z.string().nullable(),
  capacity: z.number(),
  priority: z.number(),
  calleeAllowPrefixes: z.array(z.string()),
  calleeDenyPrefixes: z.array(z.string()),
  callerRewrite: rewriteViewSchema,
  calleeRewrite: rewriteViewSchema,
  routingGroups: z.array(z.string()),
  replyAddress: z.enum(replyAddressPolicies),
  memo: z.string(),
});
export type MappingGatewayView = z.infer<typeof mappingGatewayViewSchema>;

export type RuleIssue = { path: string; message: string };

/** Rules that span fields, checked on the whole gateway after a create or a merged PATCH. */
export function mappingGatewayRuleIssues(g: MappingGatewayConfig, hasPassword: boolean): RuleIssue[] {
  const issues: RuleIssue[] = [];
  if (g.authMode === "password" && !hasPassword)
    issues.push({ path: "password", message: "Password mode needs a password" });
  if (g.authMode !== "password" && g.ipAddresses.length === 0) {
    issues.push({
      path: "ipAddresses",
      message: `${g.authMode === "ip" ? "IP" : "IP+Port"} mode needs at least one IP address`,
    });
  }
  if (g.authMode === "ip-port" && g.port === null) issues.push({ path: "port", message: "IP+Port mode needs a port" });
  const both = g.calleeAllowPrefixes.filter((p) => g.calleeDenyPrefixes.includes(p));
  if (both.length > 0)
    issues.push({ path: "calleeDenyPrefixes", message: `prefix ${both[0]} is both allowed and denied` });
  return issues;
}

/** The digest username a Password gateway answers with: its own, or the gateway name. */
export function digestUsernameOf(g: Pick<MappingGatewayConfig, "authUsername" | "name">): string {
  return g.authUsername ?? g.name;
}

export const mappingGatewayListQuerySchema = z.object({
  ...gatewayListQueryFields,
  authMode: z.enum(mappingAuthModes, { error: "authMode must be ip, ip-port or password" }).optional(),
  sort: z
    .enum(["name", "priority", "capacity", "authMode", "updatedAt"], {
      error: "sort must be name, priority, capacity, authMode or updatedAt",
    })
    .default("name"),
});
export type MappingGatewayListQuery = z.infer<typeof mappingGatewayListQuerySchema>;
