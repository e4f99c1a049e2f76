import { getCSeq } from "@/lib/engine/sip/accessors";
import { getHeader } from "@/lib/engine/sip/header-access";
import type { HeaderInit, SipRequest, SipResponse } from "@/lib/engine/sip/message";
import { buildResponse } from "@/lib/engine/sip/response";
import type { ServerTransaction } from "@/lib/engine/transaction/server-transaction";
import type { B2buaDeps } from "@/lib/engine/routing/b2bua";
import type { Call } from "@/lib/engine/routing/call-registry";
import { sessionExpiresOf } from "@/lib/engine/routing/end-to-end-headers";
import { buildRelayedRequest, buildRelayedResponse } from "@/lib/engine/routing/in-dialog-messages";
import { buildInDialogRequest, contactUriOf, type DialogLeg } from "@/lib/engine/routing/leg-messages";

// Requests inside an answered call, relayed end to end (issue 17): re-INVITE and its ACK, UPDATE,
// INFO, NOTIFY, MESSAGE, OPTIONS and (when allowed) REFER, each with the CSeq of the leg it is sent
// on, and the other side's answer relayed back. BYE is the B2BUA's own (b2bua.ts).

export type Side = "a" | "b";

export type RelayState = {
  /** RFC 3261 §14.1: one INVITE at a time in a dialog; the side whose re-INVITE is being relayed. */
  reinviteFrom: Side | null;
  /** A relayed re-INVITE's 2xx whose ACK is still to come from `from`: its CSeq and ours on the other leg. */
  awaitingAck: { from: Side; cseq: number; relayedCSeq: number } | null;
  /** The ACK last passed on for a re-INVITE's 2xx, sent again when that 2xx is (RFC 3261 §13.2.2.4). */
  lastAck: { relayedCSeq: number; ack: SipRequest } | null;
  /** RFC 3261 §12.2.2: the last CSeq received from each side inside the call. */
  remoteCSeq: Record<Side, number | null>;
};

/** RFC 3261 §12.2, RFC 3311 §5.1: requests whose Contact (and 2xx's) refresh the remote target. */
const TARGET_REFRESH = new Set(["INVITE", "UPDATE"]);

export const newRelayState = (): RelayState => ({
  reinviteFrom: null,
  awaitingAck: null,
  lastAck: null,
  remoteCSeq: { a: null, b: null },
});

export type RelayEvents = {
  /** A 2xx to a re-INVITE or UPDATE passed: the session interval it set (RFC 4028 §7.2), or null. */
  refreshed(call: Call, sessionExpires: number | null): void;
  /** The other leg's dialog is gone (481, 408, no answer): RFC 3261 §12.2.1.2, the call ends. */
  lost(call: Call, reason: string): void;
  /** A leg's CSeq or remote target moved (the dialog journal keeps them). */
  changed(call: Call): void;
};

const other = (side: Side): Side => (side === "a" ? "b" : "a");

export class InDialogRelay {
  constructor(
    private readonly deps: Pick<B2buaDeps, "transactions" | "local" | "log">,
    private readonly events: RelayEvents,
  ) {}

  relay(call: Call, side: Side, request: SipRequest, tx: ServerTransaction): void {
    const refuse = (status: number, reason: string, headers: HeaderInit[] = []): void =>
      void tx.respond(buildResponse(request, status, reason, headers));
    const to = legOf(call, other(side));
    const cseq = getCSeq(request)?.number ?? 0;
    const state = call.relay;
    const early = call.state !== "answered";
    // RFC 3261 §12.1: an early dialog exists once the carrier's provisional with a tag came
    if (to === null || to.remoteTag === null || call.state === "ended")
      return refuse(500, "Call Not Answered Yet", [["Retry-After", "1"]]);
    // RFC 3261 §14.1: no re-INVITE before the INVITE itself is answered
    if (early && request.method === "INVITE") return refuse(500, "INVITE Pending", [["Retry-After", "1"]]);
    // RFC 3262 §7.2: PRACK goes from the caller (the INVITE's sender) to the carrier only
    if (request.method === "PRACK" && side !== "a") return refuse(403, "PRACK From The Callee");
    const last = state.remoteCSeq[side];
    // RFC 3261 §12.2.2: a CSeq lower than the last one is out of order
    if (last !== null && cseq < last) return refuse(500, "CSeq Out Of Order");
    state.remoteCSeq[side] = cseq;
    // Transfer fraud: a REFER makes the other side call someone on our account
    if (request.method === "REFER" && !call.settings.allowRefer) return refuse(403, "Transfer Not Allowed");
    if (request.method === "INVITE" || request.method === "UPDATE") {
      const interval = sessionExpiresOf(request);
      const min = call.settings.minSessionExpires;
      // RFC 4028 §8.1: a session interval below our minimum is refused with ours
      if (interval !== null && interval < min) return refuse(422, "Session Interval Too Small", [["Min-SE", `${min}`]]);
    }
    if (request.method === "INVITE") {
      // RFC 3261 §14.2: our own re-INVITE on this dialog is pending: 491 (glare); the sender's: 500
      if (state.reinviteFrom === other(side)) return refuse(491, "Request Pending");
      if (state.reinviteFrom === side) return refuse(500, "Previous INVITE Pending", [["Retry-After", "1"]]);
      state.reinviteFrom = side;
    }
    this.send(call, side, request, tx, to);
  }

  /** An ACK inside the call: the one for a relayed re-INVITE's 2xx goes on to the other leg. */
  ack(call: Call, side: Side, ack: SipRequest): boolean {
    const waiting = call.relay.awaitingAck;
    if (waiting === null || waiting.from !== side || getCSeq(ack)?.number !== waiting.cseq) return false;
    const to = legOf(call, other(side));
    if (to === null) return false;
    call.relay.awaitingAck = null;
    const type = getHeader(ack, "content-type");
    // RFC 3264 §5: an offer may come in the ACK (a re-INVITE without SDP); it goes along
    const relayed = buildInDialogRequest(
      to,
      "ACK",
      waiting.relayedCSeq,
      this.deps.local(),
      type ? { type, bytes: ack.body } : undefined,
    );
    this.deps.transactions.sendStateless(relayed, to.destination);
    call.relay.lastAck = { relayedCSeq: waiting.relayedCSeq, ack: relayed };
    return true;
  }

  /** RFC 3262 §7.2: RAck names the provisional and the INVITE's CSeq, which differs on the carrier's leg. */
  private rackFor(call: Call, request: SipRequest): HeaderInit[] {
    if (request.method !== "PRACK" || call.attempt === null) return [];
    const rseq = /^\s*(\d+)/.exec(getHeader(request, "rack") ?? "")?.[1];
    return rseq === undefined ? [] : [["RAck", `${rseq} ${getCSeq(call.attempt.invite)?.number ?? 1} INVITE`]];
  }

  private send(call: Call, side: Side, request: SipRequest, tx: ServerTransaction, to: DialogLeg): void {
    const from = legOf(call, side)!;
    const relayedCSeq = ++to.localCSeq;
    // RFC 3261 §12.2.2: a target refresh request moves the sender's remote target to its Contact
    if (TARGET_REFRESH.has(request.method)) from.remoteTarget = contactUriOf(request, from.remoteTarget);
    this.events.changed(call);
    const out = buildRelayedRequest(to, request, relayedCSeq, this.deps.local(), this.rackFor(call, request));
    let final: SipResponse | null = null;
    const answer = (response: SipResponse) =>
      tx.respond(buildRelayedResponse(request, response, this.deps.local(), from.destination.transport));
    const done = () => {
      if (call.relay.reinviteFrom === side && request.method === "INVITE") call.relay.reinviteFrom = null;
    };
    this.deps.transactions.sendRequest(out, to.destination, {
      onResponse: (response) => {
        if (response.status === 100) return;
        if (final !== null) {
          // RFC 3261 §13.2.2.4: a retransmitted 2xx to our re-INVITE gets our ACK again, once it went
          const sent = call.relay.lastAck;
          if (sent?.relayedCSeq === relayedCSeq && response.status < 300)
            this.deps.transactions.sendStateless(sent.ack, to.destination);
          return;
        }
        if (response.status < 200) return answer(response);
        final = response;
        done();
        if (request.method === "INVITE" && response.status < 300) {
          call.relay.awaitingAck = { from: side, cseq: getCSeq(request)?.number ?? 0, relayedCSeq };
        }
        answer(response);
        if (response.status < 300 && TARGET_REFRESH.has(request.method)) {
          // RFC 3261 §12.2.1.2: and its 2xx moves the answering side's to the Contact of the 2xx
          to.remoteTarget = contactUriOf(response, to.remoteTarget);
          this.events.changed(call);
        }
        if (response.status < 300 && (request.method === "INVITE" || request.method === "UPDATE"))
          this.events.refreshed(call, sessionExpiresOf(response));
        if (response.status === 481 || response.status === 408)
          this.events.lost(call, `${request.method} answered ${response.status} on the other leg`);
      },
      onTimeout: () => {
        done();
        tx.respond(buildResponse(request, 408, "Request Timeout"));
        this.events.lost(call, `no answer to ${request.method} on the other leg`);
      },
      onTransportError: () => {
        done();
        tx.respond(buildResponse(request, 503, "Service Unavailable"));
        this.events.lost(call, `${request.method} could not be sent on the other leg`);
      },
    });
  }
}

/** The dialog of one side: the caller's, or the carrier's (early, or answered). */
export function legOf(call: Call, side: Side): DialogLeg | null {
  return side === "a" ? call.a : (call.attempt?.leg ?? null);
}
