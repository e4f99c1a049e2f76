import { z } from "zod";

// One call record per call attempt (issue 9), written by the engine to its journal and imported by
// the console with a cursor: `seq` rises by one per record in an engine's journal.

/** The final reason of a call whose carrier challenged and could not be answered (the caller gets 503). */
export const CARRIER_AUTH_FAILED = "Carrier Authentication Failed";

export const cdrSchema = z.object({
  seq: z.number().int().min(1),
  /** Unique per engine and call attempt: the console imports idempotently by it. */
  id: z.string(),
  callerReceived: z.string(),
  calleeReceived: z.string(),
  callerSent: z.string().nullable(),
  calleeSent: z.string().nullable(),
  mappingGatewayId: z.string().nullable(),
  mappingGatewayName: z.string().nullable(),
  routingGatewayId: z.string().nullable(),
  routingGatewayName: z.string().nullable(),
  sourceAddress: z.string(),
  startedAt: z.number(),
  answeredAt: z.number().nullable(),
  endedAt: z.number(),
  /** Seconds between answer and end; 0 when never answered. */
  holdSeconds: z.number(),
  finalCode: z.number().int(),
  finalReason: z.string(),
  endedBy: z.enum(["caller", "callee", "server"]),
  /** Carrier challenges answered during the call's attempts. */
  challengesAnswered: z.number().int(),
  /** Refused for authentication (SERVER_BILLING_RECORD_ILLEGAL_CALL). */
  illegal: z.boolean(),
  configVersion: z.number().int(),
  callId: z.string(),
  /**
   * Every carrier tried, in order, with how it ended (issue 17: failover is visible): the code and
   * reason it answered, or what the engine decided (timeout, credentials refused). Records written
   * before this field existed have none.
   */
  attempts: z.array(cdrAttemptSchema()).default([]),
});
export type Cdr = z.infer<typeof cdrSchema>;
export type CdrAttempt = z.infer<ReturnType<typeof cdrAttemptSchema>>;

function cdrAttemptSchema() {
  return z.object({
    routingGatewayId: z.string(),
    routingGatewayName: z.string(),
    /** The carrier's final code, or the one the engine stands for it (408 no answer, 503 unreachable). */
    code: z.number().int(),
    reason: z.string(),
    /** True when the next carrier was tried after this one. */
    failedOver: z.boolean(),
  });
}

export const cdrPageSchema = z.object({ records: z.array(cdrSchema), next: z.number().int() });
export const cdrQuerySchema = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

/** DELETE /v1/calls?id=: the live call to hang up. */
export const hangUpQuerySchema = z.object({ id: z.string().min(1).max(100) });

export const liveCallSchema = z
  .object({
    id: z.string(),
    state: z.string(),
    mappingGatewayId: z.string(),
    routingGatewayId: z.string().nullable(),
    caller: z.string(),
    callee: z.string(),
    startedAt: z.number(),
    answeredAt: z.number().nullable(),
  })
  .passthrough();
export type LiveCallView = z.infer<typeof liveCallSchema>;

export const testCallSchema = z.strictObject({
  routingGatewayId: z.string().min(1, "routingGatewayId is required"),
  number: z.string().regex(/^\+?[0-9]{1,32}$/, "number must be digits, optionally with a leading +"),
});
export const testCallResultSchema = z.object({
  ok: z.boolean(),
  options: z.object({ code: z.number().nullable(), reason: z.string() }),
  invite: z.object({ code: z.number().nullable(), reason: z.string(), challenged: z.boolean() }),
  summary: z.string(),
  messages: z.array(z.object({ direction: z.enum(["in", "out"]), at: z.string(), text: z.string() })),
});
export type TestCallResult = z.infer<typeof testCallResultSchema>;
