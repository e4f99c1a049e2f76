import { z } from "zod";
import { configSnapshotSchema } from "@/lib/domain/config-snapshot";

// The engine's control API (HTTP on 127.0.0.1, bearer token): one route table and one set of
// schemas, parsed by the engine on the way in and by the console on the way back.

export const listenerSchema = z.object({ transport: z.enum(["udp", "tcp"]), host: z.string(), port: z.number().int() });

export const engineStatusSchema = z.object({
  version: z.number().int(),
  hash: z.string(),
  appliedAt: z.string().nullable(),
  startedAt: z.string(),
  uptimeSeconds: z.number(),
  pid: z.number().int(),
  listeners: z.array(listenerSchema),
  counters: z.record(z.string(), z.number()),
});
export type EngineStatus = z.infer<typeof engineStatusSchema>;

export const applySnapshotResultSchema = z.discriminatedUnion("ok", [
  z.object({
    ok: z.literal(true),
    version: z.number().int(),
    hash: z.string(),
    appliedAt: z.string(),
    tookMs: z.number(),
  }),
  z.object({ ok: z.literal(false), reasons: z.array(z.string()).min(1) }),
]);
export type ApplySnapshotResult = z.infer<typeof applySnapshotResultSchema>;

/**
 * A snapshot sent as its difference from `base`, the snapshot the engine runs: a reload usually
 * changes a few of thousands of gateways, and the whole is 13 MB with 30,000 (issue 7). The ids
 * give the new snapshot's gateways in order; a gateway is sent only when new or changed, the
 * others are the engine's running ones. The hash is still that of the whole content.
 */
export const snapshotDeltaSchema = configSnapshotSchema.omit({ mappingGateways: true, routingGateways: true }).extend({
  base: z.object({ version: z.number().int().min(0), hash: z.string() }),
  mappingGatewayIds: z.array(z.string()),
  routingGatewayIds: z.array(z.string()),
  // Checked one by one by the engine, each against its full schema.
  mappingGateways: z.array(z.looseObject({ id: z.string() })),
  routingGateways: z.array(z.looseObject({ id: z.string() })),
});
export type SnapshotDelta = z.infer<typeof snapshotDeltaSchema>;

export const traceQuerySchema = z.object({
  address: z.string().max(100).optional(),
  callId: z.string().max(500).optional(),
  method: z.string().max(32).optional(),
  sinceSeq: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(200),
});
export type TraceQuery = z.infer<typeof traceQuerySchema>;

export const traceRecordSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  direction: z.enum(["in", "out"]),
  transport: z.enum(["udp", "tcp"]),
  remoteAddress: z.string(),
  remotePort: z.number().int(),
  method: z.string().nullable(),
  status: z.number().int().nullable(),
  callId: z.string().nullable(),
  /** The message as text (latin1), digest `response` values masked at capture. */
  text: z.string(),
});
export type TraceRecord = z.infer<typeof traceRecordSchema>;

export const registrationQuerySchema = z.object({
  accountId: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  offset: z.coerce.number().int().min(0).default(0),
});
export type RegistrationQuery = z.infer<typeof registrationQuerySchema>;

export const registrationSchema = z.object({
  accountId: z.string(),
  uri: z.string(),
  callId: z.string(),
  cseq: z.number(),
  source: z.object({ transport: z.enum(["udp", "tcp"]), address: z.string(), port: z.number() }).passthrough(),
  q: z.number().nullable(),
  userAgent: z.string().nullable(),
  registeredAt: z.number(),
  expiresAt: z.number(),
  removeAt: z.number(),
  expired: z.boolean(),
});
export type Registration = z.infer<typeof registrationSchema>;
export const registrationPageSchema = z.object({ total: z.number(), bindings: z.array(registrationSchema) });

export const removeRegistrationsSchema = z.object({ accountId: z.string().min(1), contact: z.string().optional() });

export const suspensionSchema = z.object({
  source: z.string(),
  since: z.number(),
  until: z.number(),
  failures: z.number(),
  lastUsername: z.string().nullable(),
});
export type Suspension = z.infer<typeof suspensionSchema>;
export const liftSuspensionSchema = z.object({ source: z.string().min(1) });

/** The security monitor's figures from the engine: the last hour of authentication, minute by minute. */
export const securityReportSchema = z.object({
  windowMinutes: z.number().int(),
  perMinute: z.array(
    z.object({ minute: z.string(), challenges: z.number(), answered: z.number(), failures: z.number() }),
  ),
  topSources: z.array(
    z.object({ address: z.string(), failures: z.number(), lastUsername: z.string().nullable(), lastAt: z.string() }),
  ),
  byUsername: z.array(z.object({ username: z.string(), failures: z.number() })),
  suspensions: z.array(suspensionSchema),
  /** Addresses never suspended: configured gateway addresses (when SS_AUTH_SUSPEND_ALLOW_GATEWAYS is on) and SS_AUTH_SUSPEND_ALLOWLIST. */
  neverSuspended: z.array(z.object({ address: z.string(), from: z.enum(["gateway", "allowlist"]) })),
});
export type SecurityReport = z.infer<typeof securityReportSchema>;

/** The console's view of the report: digest usernames resolved to the gateway that owns each (null: none). */
export type SecurityOverview = SecurityReport & {
  gateways: Record<string, { id: string; name: string; kind: "mapping" | "routing" } | null>;
  now: number;
};

export const gatewayActivitySchema = z.record(
  z.string(),
  z.object({ lastSeenAt: z.number(), address: z.string(), port: z.number(), transport: z.enum(["udp", "tcp"]) }),
);
export type GatewayActivity = z.infer<typeof gatewayActivitySchema>;

export const carrierStatusSchema = z.object({
  registrations: z.array(
    z.object({
      gatewayId: z.string(),
      name: z.string(),
      state: z.enum(["registering", "registered", "failed", "unregistered"]),
      lastCode: z.number().nullable(),
      lastReason: z.string().nullable(),
      expiresAt: z.number().nullable(),
      retryAt: z.number().nullable(),
    }),
  ),
  health: z.array(
    z.object({
      gatewayId: z.string(),
      name: z.string(),
      state: z.enum(["unknown", "reachable", "unreachable"]),
      lastCode: z.number().nullable(),
      lastReason: z.string().nullable(),
      checkedAt: z.number().nullable(),
    }),
  ),
});
export type CarrierStatus = z.infer<typeof carrierStatusSchema>;

export const controlRoutes = {
  status: { method: "GET", path: "/v1/status" },
  applySnapshot: { method: "PUT", path: "/v1/snapshot", body: configSnapshotSchema },
  applySnapshotDelta: { method: "PATCH", path: "/v1/snapshot", body: snapshotDeltaSchema },
  trace: { method: "GET", path: "/v1/trace", query: traceQuerySchema },
  metrics: { method: "GET", path: "/metrics" },
  registrations: { method: "GET", path: "/v1/registrations", query: registrationQuerySchema },
  removeRegistrations: { method: "DELETE", path: "/v1/registrations", query: removeRegistrationsSchema },
  suspensions: { method: "GET", path: "/v1/suspensions" },
  security: { method: "GET", path: "/v1/security" },
  activity: { method: "GET", path: "/v1/activity" },
  carriers: { method: "GET", path: "/v1/carriers" },
  cdrs: { method: "GET", path: "/v1/cdrs" },
  calls: { method: "GET", path: "/v1/calls" },
  hangUp: { method: "DELETE", path: "/v1/calls" },
  testCall: { method: "POST", path: "/v1/test-call" },
  liftSuspension: { method: "DELETE", path: "/v1/suspensions", query: liftSuspensionSchema },
} as const;
