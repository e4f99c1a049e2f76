import { z } from "zod";
import {
  capacitySchema,
  digestUsernameSchema,
  groupNameSchema,
  hostSchema,
  memoSchema,
  nameSchema,
  portSchema,
  prefixSchema,
  prioritySchema,
  rewriteRuleSchema,
  gatewayListQueryFields,
  gatewayViewFields,
  rewriteViewSchema,
  secretSchema,
  uniqueList,
  versionSchema,
} from "@/lib/domain/gateway-fields";
import type { RuleIssue } from "@/lib/domain/mapping-gateway";

// Routing gateways: the carriers we send calls to, with the credentials for their 401/407.

export const routingKinds = ["static", "dynamic", "register-out"] as const;
export const routingKindLabels: Record<(typeof routingKinds)[number], string> = {
  static: "Static (we send to its address)",
  dynamic: "Dynamic (it registers to us; calls go to its contact)",
  "register-out": "Register-out (we register to the carrier)",
};
export const transports = ["udp", "tcp"] as const;
export const prefixModes = ["stop", "continue"] as const;

const failoverCodeSchema = z
  .number({ error: "failover codes must be SIP codes from 400 to 699" })
  .int("failover codes must be SIP codes from 400 to 699")
  .min(400, "failover codes must be SIP codes from 400 to 699")
  .max(699, "failover codes must be SIP codes from 400 to 699");

const fields = {
  name: nameSchema,
  enabled: z.boolean({ error: "enabled must be true or false" }),
  kind: z.enum(routingKinds, { error: "kind must be static, dynamic or register-out" }),
  address: hostSchema.nullable(),
  port: portSchema,
  transport: z.enum(transports, { error: "transport must be udp or tcp" }),
  prefixes: z
    .array(prefixSchema, { error: "prefixes must be a list" })
    .max(1000, "at most 1000 prefixes")
    .transform(uniqueList),
  prefixMode: z.enum(prefixModes, { error: "prefixMode must be stop or continue" }),
  priority: prioritySchema,
  capacity: capacitySchema,
  group: groupNameSchema,
  authUsername: digestUsernameSchema.nullable(),
  password: secretSchema,
  authRealm: hostSchema.nullable(),
  fromUser: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._+-]{1,64}$/, "fromUser must be 1 to 64 letters, digits, . _ + or -")
    .nullable(),
  fromDomain: hostSchema.nullable(),
  callerRewrite: rewriteRuleSchema,
  calleeRewrite: rewriteRuleSchema,
  failoverCodes: z
    .array(failoverCodeSchema, { error: "failoverCodes must be a list" })
    .max(50, "at most 50 failover codes")
    .transform(uniqueList),
  /** Credentials refused (a second challenge, or 403 after them): the next carrier, as for a failover code. */
  failoverOnAuthFailure: z.boolean({ error: "failoverOnAuthFailure must be true or false" }),
  memo: memoSchema,
};

export const DEFAULT_FAILOVER_CODES = [408, 480, 500, 502, 503, 504];

export const createRoutingGatewaySchema = z.strictObject({
  ...fields,
  enabled: fields.enabled.default(true),
  kind: fields.kind.default("static"),
  address: fields.address.default(null),
  port: fields.port.default(5060),
  transport: fields.transport.default("udp"),
  prefixes: fields.prefixes.default([]),
  prefixMode: fields.prefixMode.default("stop"),
  priority: fields.priority.default(0),
  capacity: fields.capacity.default(0),
  group: fields.group.default("default"),
  authUsername: fields.authUsername.default(null),
  password: fields.password.optional(),
  authRealm: fields.authRealm.default(null),
  fromUser: fields.fromUser.default(null),
  fromDomain: fields.fromDomain.default(null),
  callerRewrite: fields.callerRewrite.default({ strip: 0, prefix: "" }),
  calleeRewrite: fields.calleeRewrite.default({ strip: 0, prefix: "" }),
  failoverCodes: fields.failoverCodes.default(DEFAULT_FAILOVER_CODES),
  failoverOnAuthFailure: fields.failoverOnAuthFailure.default(true),
  memo: fields.memo.default(""),
});
export type CreateRoutingGateway = z.infer<typeof createRoutingGatewaySchema>;

/** PATCH: merge semantics, so nothing has a default; `version` is the one it was based on. */
export const updateRoutingGatewaySchema = z.strictObject(fields).partial().extend({ version: versionSchema });

export type RoutingGatewayConfig = Omit<CreateRoutingGateway, "password">;

export const routingGatewayViewSchema = z.object({
  ...gatewayViewFields,
  kind: z.enum(routingKinds),
  address: z.string().nullable(),
  port: z.number(),
  transport: z.enum(transports),
  prefixes: z.array(z.string()),
  prefixMode: z.enum(prefixModes),
  priority: z.number(),
  capacity: z.number(),
  group: z.string(),
  authUsername: z.string().nullable(),
  authRealm: z.string().nullable(),
  fromUser: z.string().nullable(),
  fromDomain: z.string().nullable(),
  callerRewrite: rewriteViewSchema,
  calleeRewrite: rewriteViewSchema,
  failoverCodes: z.array(z.number()),
  failoverOnAuthFailure: z.boolean(),
  memo: z.string(),
});
export type RoutingGatewayView = z.infer<typeof routingGatewayViewSchema>;

export function routingGatewayRuleIssues(g: RoutingGatewayConfig, hasPassword: boolean): RuleIssue[] {
  const issues: RuleIssue[] = [];
  if (g.kind !== "dynamic" && g.address === null) {
    issues.push({ path: "address", message: `A ${g.kind} routing gateway needs an address` });
  }
  if (g.kind !== "static") {
    const why = g.kind === "dynamic" ? "it registers to us with digest" : "we register to the carrier with them";
    if (g.authUsername === null)
      issues.push({ path: "authUsername", message: `A ${g.kind} routing gateway needs a username: ${why}` });
    if (!hasPassword)
      issues.push({ path: "password", message: `A ${g.kind} routing gateway needs a password: ${why}` });
  } else if ((g.authUsername === null) !== !hasPassword) {
    issues.push(
      g.authUsername === null
        ? { path: "authUsername", message: "A password needs a username to go with it" }
        : { path: "password", message: "A username needs a password to go with it" },
    );
  }
  return issues;
}

export const routingGatewayListQuerySchema = z.object({
  ...gatewayListQueryFields,
  kind: z.enum(routingKinds, { error: "kind must be static, dynamic or register-out" }).optional(),
  sort: z
    .enum(["name", "priority", "capacity", "kind", "updatedAt"], {
      error: "sort must be name, priority, capacity, kind or updatedAt",
    })
    .default("name"),
});
export type RoutingGatewayListQuery = z.infer<typeof routingGatewayListQuerySchema>;
