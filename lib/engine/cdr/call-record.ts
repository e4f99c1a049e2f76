import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import type { Cdr } from "@/lib/domain/cdr";
import { getCallId, getFrom, getRequestUri } from "@/lib/engine/sip/accessors";
import type { SipRequest } from "@/lib/engine/sip/message";
import type { Remote } from "@/lib/engine/transport/remote";
import type { Call } from "@/lib/engine/routing/call-registry";
import { userOf } from "@/lib/engine/routing/leg-messages";
import type { CdrDraft } from "@/lib/engine/cdr/cdr-journal";

// One call record per call attempt (issue 9), built from the B2BUA's call as it ends (or as it
// stands, for the open-calls side file).

export type EndedBy = Cdr["endedBy"];

/** Where the journal's records go: calls in flight, then each finished record. */
export type CdrSink = {
  open(draft: CdrDraft): void;
  write(draft: CdrDraft): void;
};

export const newCdrId = (): string => randomBytes(8).toString("hex");

export function formatSource(from: Remote): string {
  return isIP(from.address) === 6 ? `[${from.address}]:${from.port}` : `${from.address}:${from.port}`;
}

const holdSecondsOf = (answeredAt: number | null, endedAt: number) =>
  answeredAt === null ? 0 : Math.max(0, Math.round((endedAt - answeredAt) / 1000));

/** The record of `call` ending at `endedAt`; `reason` overrides what the caller got (operator, TTL). */
export function recordOfCall(call: Call, endedAt: number, endedBy: EndedBy, reason?: string): CdrDraft {
  const sent = call.attempt?.invite;
  const gateway = call.attempt?.candidate.gateway;
  return {
    id: call.id,
    callerReceived: call.caller,
    calleeReceived: call.callee,
    callerSent: sent ? userOf(getFrom(sent)?.uri) : null,
    calleeSent: sent ? userOf(getRequestUri(sent)) : null,
    mappingGatewayId: call.mappingGatewayId,
    mappingGatewayName: call.mappingGatewayName,
    routingGatewayId: gateway?.id ?? null,
    routingGatewayName: gateway?.name ?? null,
    sourceAddress: call.sourceAddress,
    startedAt: call.startedAt,
    answeredAt: call.answeredAt,
    endedAt,
    holdSeconds: holdSecondsOf(call.answeredAt, endedAt),
    finalCode: call.finalCode ?? (call.answeredAt !== null ? 200 : 0),
    finalReason: reason ?? call.finalReason ?? "",
    endedBy,
    challengesAnswered: call.challengesAnswered,
    illegal: false,
    configVersion: call.configVersion,
    callId: call.a.callId,
    attempts: [...call.attempts],
  };
}

/** An INVITE that never became a call: refused before routing (no route, or refused for authentication). */
export function recordOfRefusal(
  request: SipRequest,
  from: Remote,
  at: number,
  o: { code: number; reason: string; illegal: boolean; configVersion: number; mapping?: { id: string; name: string } },
): CdrDraft {
  return {
    id: newCdrId(),
    callerReceived: userOf(getFrom(request)?.uri),
    calleeReceived: userOf(getRequestUri(request)),
    callerSent: null,
    calleeSent: null,
    mappingGatewayId: o.mapping?.id ?? null,
    mappingGatewayName: o.mapping?.name ?? null,
    routingGatewayId: null,
    routingGatewayName: null,
    sourceAddress: formatSource(from),
    startedAt: at,
    answeredAt: null,
    endedAt: at,
    holdSeconds: 0,
    finalCode: o.code,
    finalReason: o.reason,
    endedBy: "server",
    challengesAnswered: 0,
    illegal: o.illegal,
    configVersion: o.configVersion,
    callId: getCallId(request) ?? "",
    attempts: [],
  };
}
