import type { SnapshotRoutingGateway } from "@/lib/domain/config-snapshot";
import type { CdrAttempt } from "@/lib/domain/cdr";
import { getCallId, getCSeq, getTo } from "@/lib/engine/sip/accessors";
import { getHeader } from "@/lib/engine/sip/header-access";
import type { SipRequest, SipResponse } from "@/lib/engine/sip/message";
import { parseDatagram } from "@/lib/engine/sip/parser";
import { buildResponse } from "@/lib/engine/sip/response";
import { serializeMessage } from "@/lib/engine/sip/serializer";
import { buildAckForFinal, buildCancel } from "@/lib/engine/transaction/client-requests";
import type { Remote } from "@/lib/engine/transport/remote";
import type { Attempt, Call, CallSettings } from "@/lib/engine/routing/call-registry";
import type { DialogEvent, JournaledCall, JournaledState } from "@/lib/engine/routing/dialog-journal";
import { newRelayState } from "@/lib/engine/routing/in-dialog-relay";
import {
  buildInDialogRequest,
  contactUriOf,
  recordRoutes,
  type DialogLeg,
  type LocalAddress,
} from "@/lib/engine/routing/leg-messages";

// Calls across an engine restart (issue 18): what the dialog journal keeps of a call, the call
// rebuilt from it, and the clean end of a call that was still being set up when the engine died.

/** Requests may have left in the last unsynced batch: resumed legs' CSeqs jump past them (§12.2.1.1: only rising matters). */
export const RESUMED_CSEQ_MARGIN = 100;

const wire = (message: SipRequest): string => serializeMessage(message).toString("base64");

function unwire(base64: string): SipRequest {
  const parsed = parseDatagram(Buffer.from(base64, "base64"));
  if (!parsed.ok || parsed.message.kind !== "request") throw new Error("a journaled INVITE no longer parses");
  return parsed.message;
}

const journaledLegOf = (leg: DialogLeg): JournaledCall["a"] => ({
  ...leg,
  routeSet: [...leg.routeSet],
  destination: { transport: leg.destination.transport, address: leg.destination.address, port: leg.destination.port },
});

/** The events that stand for a live call in a checkpoint. */
export function eventsOfCall(call: Call): DialogEvent[] {
  const events: DialogEvent[] = [setupEventOf(call)];
  if (call.attempt !== null) events.push(attemptEventOf(call, call.attempt));
  if (call.state === "answered" && call.attempt !== null)
    events.push({ t: "up", id: call.id, call: journaledCallOf(call) });
  return events;
}

export const setupEventOf = (call: Call): DialogEvent => ({
  t: "setup",
  id: call.id,
  inbound: wire(call.inbound),
  from: callerSource(call),
  tag: call.a.localTag,
});

export const attemptEventOf = (call: Call, attempt: Attempt): DialogEvent => ({
  t: "attempt",
  id: call.id,
  invite: wire(attempt.invite),
  to: attempt.candidate.target,
});

export const legsEventOf = (call: Call): DialogEvent | null =>
  call.attempt === null
    ? null
    : {
        t: "legs",
        id: call.id,
        a: {
          localCSeq: call.a.localCSeq,
          remoteTarget: call.a.remoteTarget,
          destination: journaledLegOf(call.a).destination,
        },
        b: {
          localCSeq: call.attempt.leg.localCSeq,
          remoteTarget: call.attempt.leg.remoteTarget,
          destination: journaledLegOf(call.attempt.leg).destination,
        },
      };

function callerSource(call: Call): Remote {
  const d = call.a.destination;
  return { transport: d.transport, address: d.address, port: d.port };
}

export function journaledCallOf(call: Call): JournaledCall {
  const attempt = call.attempt!;
  const { id, name, kind } = attempt.candidate.gateway;
  const target = attempt.candidate.target;
  return {
    id: call.id,
    startedAt: call.startedAt,
    answeredAt: call.answeredAt ?? call.startedAt,
    mappingGatewayId: call.mappingGatewayId,
    mappingGatewayName: call.mappingGatewayName,
    caller: call.caller,
    callee: call.callee,
    sourceAddress: call.sourceAddress,
    configVersion: call.configVersion,
    a: journaledLegOf(call.a),
    b: journaledLegOf(attempt.leg),
    routingGateway: { id, name, kind },
    target: { transport: target.transport, address: target.address, port: target.port },
    challengesAnswered: call.challengesAnswered,
    attempts: call.attempts,
    sessionInterval: call.sessionInterval,
  };
}

/**
 * An answered call rebuilt from the journal: both dialogs as they were, CSeqs past anything the
 * last batch may have lost; no server transaction (the caller's INVITE was answered long ago).
 */
export function restoreCall(
  state: Required<JournaledState>,
  routing: readonly SnapshotRoutingGateway[],
  settings: CallSettings,
  local: LocalAddress,
): Call {
  const j = state.up;
  const gateway =
    routing.find((g) => g.id === j.routingGateway.id) ??
    // Removed by a reload since: the call keeps its carrier all the same (reloads never touch calls)
    ({ ...j.routingGateway, failoverCodes: [], failoverOnAuthFailure: false } as unknown as SnapshotRoutingGateway);
  const a: DialogLeg = { ...j.a, localCSeq: j.a.localCSeq + RESUMED_CSEQ_MARGIN };
  const b: DialogLeg = { ...j.b, localCSeq: j.b.localCSeq + RESUMED_CSEQ_MARGIN };
  const invite = unwire(state.attempt.invite);
  const attempt: Attempt = {
    candidate: { gateway, target: j.target, callee: j.callee, caller: j.caller, matchLength: 0 },
    leg: b,
    invite,
    tx: null,
    answeredRealms: new Set(),
    responded: true,
    detached: false,
    cancelSent: false,
    timer: null,
    settled: true,
    answered: true,
  };
  return {
    id: j.id,
    startedAt: j.startedAt,
    answeredAt: j.answeredAt,
    state: "answered",
    mappingGatewayId: j.mappingGatewayId,
    mappingGatewayName: j.mappingGatewayName,
    callee: j.callee,
    caller: j.caller,
    sourceAddress: j.sourceAddress,
    configVersion: j.configVersion,
    inbound: unwire(state.setup.inbound),
    tx: null,
    a,
    candidates: [attempt.candidate],
    next: 1,
    tried: 1,
    attempt,
    // RFC 3261 §13.2.2.4: a 2xx the carrier retransmits still gets its ACK
    ack: buildInDialogRequest(b, "ACK", getCSeq(invite)?.number ?? 1, local),
    ttl: null,
    refreshDue: null,
    sessionInterval: j.sessionInterval,
    relay: newRelayState(),
    settings,
    challengesAnswered: j.challengesAnswered,
    attempts: j.attempts as CdrAttempt[],
    finalCode: 200,
    finalReason: "OK",
    failedBy: "server",
  };
}

/** What ending a call still in setup sends: a final response to the caller, CANCEL to the carrier. */
export type OrphanEnd = {
  readonly toCaller: { response: SipResponse; to: Remote } | null;
  readonly cancel: { request: SipRequest; to: Remote; invite: SipRequest } | null;
};

/** RFC 3261 §9.1, §16.7: a call cut off in setup is ended on both sides, nothing left ringing. */
export function orphanEndOf(state: JournaledState): OrphanEnd {
  const toCaller = state.setup
    ? {
        response: buildResponse(unwire(state.setup.inbound), 503, "Service Unavailable", [["Retry-After", "5"]], {
          toTag: state.setup.tag,
        }),
        to: state.setup.from,
      }
    : null;
  const invite = state.attempt ? unwire(state.attempt.invite) : null;
  const cancel = invite && state.attempt ? { request: buildCancel(invite), to: state.attempt.to, invite } : null;
  return { toCaller, cancel };
}

/**
 * A carrier's answer to an INVITE of a call ended in setup (its transaction died with the engine):
 * a non-2xx final gets its ACK (§17.1.1.3), a 2xx its ACK and then a BYE (§15).
 */
export function answerToOrphan(
  invite: SipRequest,
  response: SipResponse,
  to: Remote,
  local: LocalAddress,
): SipRequest[] {
  if (getCSeq(response)?.method !== "INVITE" || response.status < 200) return [];
  if (response.status >= 300) return [buildAckForFinal(invite, response)];
  const cseq = getCSeq(invite)?.number ?? 1;
  const leg: DialogLeg = {
    callId: getCallId(invite) ?? "",
    localTag: "",
    localHeader: getHeader(invite, "from") ?? "",
    remoteTag: getTo(response)?.tag ?? null,
    remoteHeader: getHeader(response, "to") ?? "",
    remoteTarget: contactUriOf(response, invite.uri),
    routeSet: recordRoutes(response).reverse(),
    localCSeq: cseq,
    destination: to,
  };
  return [buildInDialogRequest(leg, "ACK", cseq, local), buildInDialogRequest(leg, "BYE", cseq + 1, local)];
}
