import { z } from "zod";
import { canonicalIp, digestUsernameSchema } from "@/lib/domain/gateway-fields";

// Route and auth simulator (issue 11): a request an operator describes, and what the engine would do
// with it under the running configuration and under the pending one — a dry run before a reload.

const numberRule = (what: string) =>
  z
    .string({ error: `${what} is required: digits, optionally with a leading +` })
    .trim()
    .regex(/^\+?[0-9]{1,32}$/, `${what} must be 1 to 32 digits, optionally with a leading +`);

const portMessage = "sourcePort must be a whole number from 1 to 65535";

export const simulateRequestSchema = z.strictObject({
  sourceAddress: z
    .string({ error: "sourceAddress is required: the IPv4 or IPv6 address the request comes from" })
    .trim()
    .refine((v) => canonicalIp(v) !== null, { error: (i) => `"${String(i.input)}" is not an IPv4 or IPv6 address` })
    .transform((v) => canonicalIp(v)!),
  sourcePort: z.number({ error: portMessage }).int(portMessage).min(1, portMessage).max(65535, portMessage),
  transport: z.enum(["udp", "tcp"], { error: "transport must be udp or tcp" }).default("udp"),
  method: z.enum(["INVITE", "REGISTER"], { error: "method must be INVITE or REGISTER" }).default("INVITE"),
  caller: numberRule("caller"),
  callee: numberRule("callee"),
  /** Simulates a Password gateway answering the challenge as this user (with the right password). */
  digestUsername: z.preprocess((v) => (v === "" || v === null ? undefined : v), digestUsernameSchema.optional()),
});
export type SimulateRequest = z.infer<typeof simulateRequestSchema>;

const rewriteSchema = z.object({ strip: z.number(), prefix: z.string() });

export const identificationSchema = z.object({
  by: z.enum(["ip-port", "ip", "digest", "carrier", "none"]),
  gateway: z.object({ id: z.string(), name: z.string(), authMode: z.string() }).nullable(),
  text: z.string(),
});

export const challengeSchema = z.object({
  status: z.union([z.literal(401), z.literal(407)]),
  header: z.enum(["WWW-Authenticate", "Proxy-Authenticate"]),
  mode: z.number().int(),
  modeText: z.string(),
  text: z.string(),
});

export const refusalKinds = [
  "suspended",
  "unknown-source",
  "disabled",
  "locked",
  "carrier-invite",
  "unknown-username",
  "callee-denied",
  "callee-not-allowed",
  "capacity",
  "no-route",
  "all-busy",
] as const;
export const refusalSchema = z.object({
  kind: z.enum(refusalKinds),
  status: z.number().int().nullable(),
  reason: z.string(),
  text: z.string(),
});

/** A number as received, then after the mapping gateway's rule (each routing gateway's own is on its route). */
export const rewriteTraceSchema = z.object({
  received: z.string(),
  afterMapping: z.string().nullable(),
  mappingRule: rewriteSchema.nullable(),
  text: z.string(),
});

export const routeStepSchema = z.object({
  order: z.number().int(),
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  group: z.string(),
  priority: z.number().int(),
  /** The prefix the callee matched; "" for a gateway without prefixes (catch-all). */
  matchedPrefix: z.string(),
  target: z.string(),
  freeCapacity: z.number().int().nullable(),
  callee: z.string(),
  caller: z.string(),
  calleeRule: rewriteSchema,
  callerRule: rewriteSchema,
  /** False past SS_GATEWAY_SWITCH_LIMIT: listed, but the engine stops before trying it. */
  tried: z.boolean(),
  text: z.string(),
});

export const skippedRouteSchema = z.object({ id: z.string(), name: z.string(), text: z.string() });

export const outcomeSchema = z.object({
  kind: z.enum(["routed", "answered", "challenged", "refused", "silence"]),
  status: z.number().int().nullable(),
  reason: z.string(),
  text: z.string(),
});

export const simulationResultSchema = z.object({
  config: z.object({ which: z.enum(["running", "pending"]), version: z.number().int().nullable(), text: z.string() }),
  outcome: outcomeSchema,
  identification: identificationSchema,
  challenge: challengeSchema.nullable(),
  refusals: z.array(refusalSchema),
  rewrites: z.object({ caller: rewriteTraceSchema, callee: rewriteTraceSchema }).nullable(),
  routes: z.array(routeStepSchema),
  skipped: z.array(skippedRouteSchema),
  /** The whole decision, one sentence per step, in the engine's order. */
  steps: z.array(z.string()),
});
export type SimulationResult = z.infer<typeof simulationResultSchema>;
export type SimulationIdentification = z.infer<typeof identificationSchema>;
export type SimulationChallenge = z.infer<typeof challengeSchema>;
export type SimulationRefusal = z.infer<typeof refusalSchema>;
export type SimulationRoute = z.infer<typeof routeStepSchema>;
export type SimulationOutcome = z.infer<typeof outcomeSchema>;
export type RewriteTrace = z.infer<typeof rewriteTraceSchema>;

/** A rewrite rule in words: "strip 2, then add 9", or "no rule". */
export function describeRewrite(rule: { strip: number; prefix: string } | null): string {
  if (rule === null || (rule.strip === 0 && rule.prefix === "")) return "no rule";
  return [rule.strip > 0 ? `strip ${rule.strip}` : "", rule.prefix !== "" ? `add ${rule.prefix}` : ""]
    .filter((p) => p !== "")
    .join(", then ");
}

/** The parts of a result the screen compares, running against pending. */
export const comparedSections = ["outcome", "identification", "challenge", "refusals", "rewrites", "routes"] as const;
export type ComparedSection = (typeof comparedSections)[number];

export const simulationResponseSchema = z.object({
  request: z.object({
    sourceAddress: z.string(),
    sourcePort: z.number(),
    transport: z.string(),
    method: z.string(),
    caller: z.string(),
    callee: z.string(),
    digestUsername: z.string().nullable(),
  }),
  running: simulationResultSchema,
  pending: simulationResultSchema,
  /** Sections whose content differs between running and pending (empty: a reload changes nothing for this request). */
  differences: z.array(z.enum(comparedSections)),
  pendingChanges: z.number().int(),
  /** Live state read from the engine (calls, registrations, suspensions), or why it could not be. */
  live: z.object({ read: z.boolean(), text: z.string() }),
});
export type SimulationResponse = z.infer<typeof simulationResponseSchema>;

/** Sections that differ; sentences are compared too, so a changed explanation counts as a difference. */
export function compareSimulations(running: SimulationResult, pending: SimulationResult): ComparedSection[] {
  return comparedSections.filter((section) => JSON.stringify(running[section]) !== JSON.stringify(pending[section]));
}
