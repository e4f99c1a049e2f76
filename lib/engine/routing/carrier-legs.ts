import { CARRIER_AUTH_FAILED } from "@/lib/domain/cdr";
import { getHeader } from "@/lib/engine/sip/header-access";
import type { SipResponse } from "@/lib/engine/sip/message";
import { getTo } from "@/lib/engine/sip/accessors";
import { buildCancel } from "@/lib/engine/transaction/client-requests";
import type { ClientHandlers } from "@/lib/engine/transaction/client-transaction";
import type { B2buaDeps } from "@/lib/engine/routing/b2bua";
import type { Attempt, Call, CallRegistry } from "@/lib/engine/routing/call-registry";
import { answerCarrierChallenge } from "@/lib/engine/routing/carrier-auth";
import {
  buildInDialogRequest,
  buildOutboundInvite,
  contactUriOf,
  newCallId,
  newTag,
  recordRoutes,
  relayResponse,
} from "@/lib/engine/routing/leg-messages";

// The carrier side of a call: one INVITE client transaction per attempt (RFC 3261 §17.1.1), the
// carrier's 401/407 answered once (§22.2), failover on the gateway's codes or on
// SS_SIP_TIMEOUT_INVITE up to SS_GATEWAY_SWITCH_LIMIT carriers, never after a 2xx (issue 8).

export type CarrierEvents = {
  /** A provisional or the 2xx to pass to the caller. */
  relay(call: Call, response: SipResponse): void;
  answered(call: Call): void;
  /** No carrier left: the call fails with this final response (the carrier's own when `response`). */
  failed(call: Call, status: number, reason: string, response: SipResponse | null): void;
};

const NOOP: ClientHandlers = { onResponse: () => undefined, onTimeout: () => undefined };

export class CarrierLegs {
  private readonly held = new WeakSet<Attempt>();

  constructor(
    private readonly deps: B2buaDeps,
    private readonly registry: CallRegistry,
    private readonly events: CarrierEvents,
  ) {}

  /** Starts the next candidate; with none left (or the switch limit reached) the call fails. */
  tryNext(call: Call, last?: { status: number; reason: string; response: SipResponse | null }): void {
    if (call.next >= call.candidates.length || call.tried >= call.settings.switchLimit) {
      return this.events.failed(
        call,
        last?.status ?? 503,
        last?.reason ?? "Service Unavailable",
        last?.response ?? null,
      );
    }
    const candidate = call.candidates[call.next++];
    call.tried++;
    const local = this.deps.local();
    const callId = newCallId(local.host);
    const fromTag = newTag();
    const invite = buildOutboundInvite({ inbound: call.inbound, candidate, local, callId, fromTag, cseq: 1 });
    const attempt: Attempt = {
      candidate,
      // RFC 3261 §12.1.2: the UAC's dialog; remote target and route set come with the 2xx
      leg: {
        callId,
        localTag: fromTag,
        localHeader: getHeader(invite, "from") ?? "",
        remoteTag: null,
        remoteHeader: getHeader(invite, "to") ?? "",
        remoteTarget: invite.uri,
        routeSet: [],
        localCSeq: 1,
        destination: candidate.target,
      },
      invite,
      tx: null,
      answeredRealms: new Set(),
      responded: false,
      detached: false,
      cancelSent: false,
      timer: null,
    };
    call.attempt = attempt;
    this.registry.addLeg(call, attempt.leg);
    this.registry.hold(candidate.gateway.id);
    this.held.add(attempt);
    this.send(call, attempt);
  }

  /** The call no longer wants this attempt: CANCEL it (§9.1: only once a provisional has come). */
  giveUp(attempt: Attempt): void {
    if (attempt.detached) return;
    attempt.detached = true;
    this.release(attempt);
    if (attempt.responded) this.cancel(attempt);
  }

  /** RFC 3261 §15.1.1: BYE on the carrier's dialog. */
  bye(attempt: Attempt): void {
    const bye = buildInDialogRequest(attempt.leg, "BYE", ++attempt.leg.localCSeq, this.deps.local());
    this.deps.transactions.sendRequest(bye, attempt.leg.destination, NOOP);
  }

  /** Frees the carrier's capacity and forgets its dialog (once). */
  release(attempt: Attempt): void {
    attempt.timer?.cancel();
    attempt.timer = null;
    if (!this.held.has(attempt)) return;
    this.held.delete(attempt);
    this.registry.release(attempt.candidate.gateway.id);
    this.registry.removeLeg(attempt.leg);
  }

  relayed(call: Call, response: SipResponse): SipResponse {
    return relayResponse(call.inbound, response, call.a.localTag, this.deps.local(), call.a.destination.transport);
  }

  private send(call: Call, attempt: Attempt): void {
    attempt.tx = this.deps.transactions.sendRequest(attempt.invite, attempt.candidate.target, {
      onResponse: (response, tx) => {
        if (tx !== attempt.tx) return; // an INVITE answered by a challenge: its retry has taken over
        if (attempt.detached) this.onDetachedResponse(attempt, response);
        else this.onResponse(call, attempt, response);
      },
      onTimeout: (tx) => {
        if (tx === attempt.tx && !attempt.detached)
          this.attemptFailed(call, attempt, 408, "Request Timeout", null, true);
      },
      onTransportError: (tx) => {
        if (tx === attempt.tx && !attempt.detached)
          this.attemptFailed(call, attempt, 503, "Carrier Unreachable", null, true);
      },
    });
    attempt.timer?.cancel();
    // SS_SIP_TIMEOUT_INVITE: no first response from this carrier in time → the next carrier
    attempt.timer = this.deps.clock.setTimer(call.settings.inviteTimeoutMs, () => {
      attempt.timer = null;
      if (!attempt.responded && !attempt.detached)
        this.attemptFailed(call, attempt, 408, "Request Timeout", null, true);
    });
  }

  private onResponse(call: Call, attempt: Attempt, response: SipResponse): void {
    const first = !attempt.responded;
    attempt.responded = true;
    if (first) {
      attempt.timer?.cancel();
      attempt.timer = null;
    }
    const status = response.status;
    if (status < 200) {
      if (status > 100) this.events.relay(call, response);
      return;
    }
    if (status < 300) {
      if (call.state === "answered") {
        // RFC 3261 §13.2.2.4: a retransmitted 2xx gets our ACK again (once the caller's has come)
        if (call.ack !== null) this.deps.transactions.sendStateless(call.ack, attempt.leg.destination);
        return;
      }
      this.confirm(attempt, response);
      this.events.relay(call, response);
      this.events.answered(call);
      return;
    }
    if (status === 401 || status === 407) return this.onChallenge(call, attempt, response);
    this.attemptFailed(call, attempt, status, response.reason, response, false);
  }

  private onChallenge(call: Call, attempt: Attempt, response: SipResponse): void {
    const gateway = attempt.candidate.gateway;
    const answer = answerCarrierChallenge(
      response,
      gateway,
      { method: "INVITE", uri: attempt.invite.uri },
      attempt.answeredRealms,
    );
    if (!answer.ok) {
      this.deps.counters.inc("carrier_auth_failures_total");
      this.deps.log?.(
        `call ${call.id}: routing gateway ${gateway.name} answered ${response.status}; not authenticated (${answer.reason})`,
      );
      return this.attemptFailed(call, attempt, response.status, CARRIER_AUTH_FAILED, null, false);
    }
    // RFC 3261 §22.2: the same request again with credentials, CSeq one higher, same Call-ID and tags
    call.challengesAnswered++;
    const leg = attempt.leg;
    leg.localCSeq++;
    attempt.responded = false;
    attempt.invite = buildOutboundInvite({
      inbound: call.inbound,
      candidate: attempt.candidate,
      local: this.deps.local(),
      callId: leg.callId,
      fromTag: leg.localTag,
      cseq: leg.localCSeq,
      credentials: [answer.header, answer.value],
    });
    this.send(call, attempt);
  }

  private attemptFailed(
    call: Call,
    attempt: Attempt,
    status: number,
    reason: string,
    response: SipResponse | null,
    noAnswer: boolean,
  ): void {
    this.giveUp(attempt);
    if (call.state === "ended") return;
    // The carrier's own final answer (or a challenge we could not meet) is the callee's; silence is ours
    call.failedBy = noAnswer ? "server" : "callee";
    // A carrier's challenge we could not answer is not passed on as one: the caller gets 503
    const last =
      status === 401 || status === 407 ? { status: 503, reason, response: null } : { status, reason, response };
    const codes = attempt.candidate.gateway.failoverCodes;
    // Failover on the gateway's codes or when it did not answer in time; never after a 2xx
    if (noAnswer || codes.includes(status)) {
      this.deps.log?.(
        `call ${call.id}: routing gateway ${attempt.candidate.gateway.name} failed with ${status}; trying the next`,
      );
      return this.tryNext(call, last);
    }
    this.events.failed(call, last.status, last.reason, last.response);
  }

  /** RFC 3261 §12.1.2: the 2xx fixes the carrier's tag, Contact and route set (Record-Route reversed). */
  private confirm(attempt: Attempt, response: SipResponse): void {
    const leg = attempt.leg;
    leg.remoteTag = getTo(response)?.tag ?? null;
    leg.remoteHeader = getHeader(response, "to") ?? leg.remoteHeader;
    leg.remoteTarget = contactUriOf(response, leg.remoteTarget);
    leg.routeSet = recordRoutes(response).reverse();
  }

  /** Responses to an INVITE the call gave up on: CANCEL at a provisional; ACK and BYE a late 2xx (§15). */
  private onDetachedResponse(attempt: Attempt, response: SipResponse): void {
    attempt.responded = true;
    if (response.status < 200) return this.cancel(attempt);
    if (response.status >= 300 || attempt.leg.remoteTag !== null) return;
    this.confirm(attempt, response);
    const local = this.deps.local();
    this.deps.transactions.sendStateless(
      buildInDialogRequest(attempt.leg, "ACK", attempt.leg.localCSeq, local),
      attempt.leg.destination,
    );
    this.bye(attempt);
  }

  private cancel(attempt: Attempt): void {
    if (attempt.cancelSent || attempt.tx === null) return;
    const state = attempt.tx.state;
    if (state !== "calling" && state !== "proceeding") return;
    attempt.cancelSent = true;
    this.deps.transactions.sendRequest(buildCancel(attempt.tx.request), attempt.candidate.target, NOOP);
  }
}
