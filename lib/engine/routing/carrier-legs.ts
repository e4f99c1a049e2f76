import { CARRIER_AUTH_FAILED } from "@/lib/domain/cdr";
import { getHeader } from "@/lib/engine/sip/header-access";
import type { SipResponse } from "@/lib/engine/sip/message";
import { getCSeq, getTo } from "@/lib/engine/sip/accessors";
import { buildCancel } from "@/lib/engine/transaction/client-requests";
import { ANSWER_IGNORED } from "@/lib/engine/transaction/client-transaction";
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
  type DialogLeg,
} from "@/lib/engine/routing/leg-messages";
import { hopOf } from "@/lib/engine/routing/end-to-end-headers";
import { isPrivateAddress } from "@/lib/engine/routing/local-address";
import type { Remote } from "@/lib/engine/transport/remote";

// The carrier side of a call: one INVITE client transaction per attempt (RFC 3261 §17.1.1), the
// carrier's 401/407 answered once (§22.2), failover on the gateway's codes or on
// SS_SIP_TIMEOUT_INVITE up to SS_GATEWAY_SWITCH_LIMIT carriers, never after a 2xx (issue 8).

export type CarrierEvents = {
  /** A provisional or the 2xx to pass to the caller. */
  relay(call: Call, response: SipResponse): void;
  answered(call: Call): void;
  /** An INVITE went to a carrier (a first one, or a retry with credentials). */
  sent(call: Call, attempt: Attempt): void;
  /** No carrier left: the call fails with this final response (the carrier's own when `response`). */
  failed(call: Call, status: number, reason: string, response: SipResponse | null): void;
};

/** RFC 3261 §13.2.2.4: an ACK for a 2xx carries its INVITE's CSeq number (requests since do not move it). */
export function inviteCSeq(attempt: Attempt): number {
  return getCSeq(attempt.invite)?.number ?? attempt.leg.localCSeq;
}

export class CarrierLegs {
  private readonly held = new WeakSet<Attempt>();

  constructor(
    private readonly deps: B2buaDeps,
    private readonly registry: CallRegistry,
    private readonly events: CarrierEvents,
  ) {}

  private hasNext(call: Call): boolean {
    return call.next < call.candidates.length && call.tried < call.settings.switchLimit;
  }

  /** Starts the next candidate; with none left (or the switch limit reached) the call fails. */
  tryNext(call: Call, last?: { status: number; reason: string; response: SipResponse | null }): void {
    if (!this.hasNext(call)) {
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
      settled: false,
      answered: false,
    };
    call.attempt = attempt;
    this.adopt(call, attempt);
    this.send(call, attempt);
  }

  /** An answered attempt resumed after a restart (call-resume.ts): its carrier's capacity is held again. */
  adopt(call: Call, attempt: Attempt): void {
    this.registry.addLeg(call, attempt.leg);
    this.registry.hold(attempt.candidate.gateway.id);
    this.held.add(attempt);
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
    this.deps.transactions.sendRequest(bye, attempt.leg.destination, ANSWER_IGNORED);
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

  /** The call record's line for this attempt (once): what it ended with and whether the next carrier was tried. */
  settle(call: Call, attempt: Attempt, code: number, reason: string, failedOver: boolean): void {
    if (attempt.settled) return;
    attempt.settled = true;
    const { id, name } = attempt.candidate.gateway;
    call.attempts.push({ routingGatewayId: id, routingGatewayName: name, code, reason, failedOver });
  }

  relayed(call: Call, response: SipResponse): SipResponse {
    return relayResponse(call.inbound, response, call.a.localTag, this.deps.local(), call.a.destination.transport);
  }

  private send(call: Call, attempt: Attempt): void {
    this.events.sent(call, attempt);
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
      if (status === 100) return;
      // RFC 3261 §12.1.2: a provisional with a tag makes an early dialog (PRACK, UPDATE go inside it)
      if (attempt.leg.remoteTag === null && getTo(response)?.tag != null) this.confirm(attempt, response);
      return this.events.relay(call, response);
    }
    if (status < 300) {
      if (call.state === "answered") {
        // RFC 3261 §13.2.2.4: a 2xx from another fork is a dialog of its own: ACK it, then BYE it
        if ((getTo(response)?.tag ?? null) !== attempt.leg.remoteTag) return this.endFork(attempt, response);
        // a retransmitted 2xx gets our ACK again (once the caller's has come)
        if (call.ack !== null) this.deps.transactions.sendStateless(call.ack, attempt.leg.destination);
        return;
      }
      attempt.answered = true;
      this.confirm(attempt, response);
      this.settle(call, attempt, status, response.reason, false);
      this.events.relay(call, response);
      this.events.answered(call);
      return;
    }
    if (status === 401 || status === 407) return this.onChallenge(call, attempt, response);
    // A 403 to an INVITE that carried our credentials: the carrier refuses them
    const refusedCredentials = status === 403 && attempt.answeredRealms.size > 0;
    this.attemptFailed(call, attempt, status, response.reason, response, false, refusedCredentials);
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
      // Challenged again after our answer (not stale): the carrier refuses our credentials
      const refusedCredentials = attempt.answeredRealms.size > 0;
      return this.attemptFailed(call, attempt, response.status, CARRIER_AUTH_FAILED, null, false, refusedCredentials);
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
    refusedCredentials = false,
  ): void {
    this.giveUp(attempt);
    if (call.state === "ended") return;
    // The carrier's own final answer (or a challenge we could not meet) is the callee's; silence is ours
    call.failedBy = noAnswer ? "server" : "callee";
    // A carrier's challenge we could not answer is not passed on as one: the caller gets 503
    const last =
      status === 401 || status === 407 ? { status: 503, reason, response: null } : { status, reason, response };
    const gateway = attempt.candidate.gateway;
    // Failover on the gateway's codes, when it did not answer in time, or (unless the gateway says
    // otherwise) when it refused our credentials; never after a 2xx
    const failover =
      noAnswer || gateway.failoverCodes.includes(status) || (refusedCredentials && gateway.failoverOnAuthFailure);
    this.settle(call, attempt, status, reason, failover && this.hasNext(call));
    if (failover) {
      this.deps.log?.(`call ${call.id}: routing gateway ${gateway.name} failed with ${status}; trying the next`);
      return this.tryNext(call, last);
    }
    this.events.failed(call, last.status, last.reason, last.response);
  }

  /** RFC 3261 §12.1.2: the 2xx fixes the carrier's tag, Contact and route set (Record-Route reversed). */
  private confirm(attempt: Attempt, response: SipResponse, leg: DialogLeg = attempt.leg): void {
    leg.remoteTag = getTo(response)?.tag ?? null;
    leg.remoteHeader = getHeader(response, "to") ?? leg.remoteHeader;
    leg.remoteTarget = contactUriOf(response, leg.remoteTarget);
    leg.routeSet = recordRoutes(response).reverse();
    leg.destination = this.dialogHop(attempt, leg);
  }

  /**
   * RFC 3261 §12.2.1.1: in-dialog requests go to the route set's first hop, else to the remote
   * target (the 2xx's Contact). A dynamic carrier is reached where its registration came from, and a
   * private Contact behind a public address (a carrier behind NAT) at the address we called.
   */
  private dialogHop(attempt: Attempt, leg: DialogLeg): Remote {
    const called = attempt.candidate.target;
    if (leg.routeSet.length > 0) return hopOf(leg.routeSet[0], called);
    if (attempt.candidate.gateway.kind === "dynamic") return called;
    const hop = hopOf(leg.remoteTarget, called);
    return isPrivateAddress(hop.address) && !isPrivateAddress(called.address) ? called : hop;
  }

  /** RFC 3261 §13.2.2.4: a 2xx from a fork we did not keep: ACK, then BYE its dialog. */
  private endFork(attempt: Attempt, response: SipResponse): void {
    const fork: DialogLeg = { ...attempt.leg, routeSet: [] };
    this.confirm(attempt, response, fork);
    const cseq = getCSeq(response)?.number ?? attempt.leg.localCSeq;
    const local = this.deps.local();
    this.deps.transactions.sendStateless(buildInDialogRequest(fork, "ACK", cseq, local), fork.destination);
    const bye = buildInDialogRequest(fork, "BYE", cseq + 1, local);
    this.deps.transactions.sendRequest(bye, fork.destination, ANSWER_IGNORED);
    this.deps.counters.inc("calls_forks_ended_total");
  }

  /** Responses to an INVITE the call gave up on: CANCEL at a provisional; ACK and BYE a late 2xx (§15). */
  private onDetachedResponse(attempt: Attempt, response: SipResponse): void {
    attempt.responded = true;
    if (response.status < 200) return this.cancel(attempt);
    if (response.status >= 300) return;
    if (attempt.answered) {
      if ((getTo(response)?.tag ?? null) !== attempt.leg.remoteTag) this.endFork(attempt, response);
      return;
    }
    attempt.answered = true;
    this.confirm(attempt, response);
    const local = this.deps.local();
    this.deps.transactions.sendStateless(
      buildInDialogRequest(attempt.leg, "ACK", inviteCSeq(attempt), local),
      attempt.leg.destination,
    );
    this.bye(attempt);
  }

  private cancel(attempt: Attempt): void {
    if (attempt.cancelSent || attempt.tx === null) return;
    const state = attempt.tx.state;
    if (state !== "calling" && state !== "proceeding") return;
    attempt.cancelSent = true;
    this.deps.transactions.sendRequest(buildCancel(attempt.tx.request), attempt.candidate.target, ANSWER_IGNORED);
  }
}
