import type { CdrAttempt, LiveCallView } from "@/lib/domain/cdr";
import type { TimerHandle } from "@/lib/engine/clock";
import type { SipRequest } from "@/lib/engine/sip/message";
import { getCallId, getFrom, getTo } from "@/lib/engine/sip/accessors";
import type { ClientTransaction } from "@/lib/engine/transaction/client-transaction";
import type { InviteServerTransaction } from "@/lib/engine/transaction/server-transaction";
import type { DialogLeg } from "@/lib/engine/routing/leg-messages";
import type { RouteCandidate } from "@/lib/engine/routing/route-selection";
import type { RelayState } from "@/lib/engine/routing/in-dialog-relay";

// The B2BUA's state: calls, the dialogs of their two legs (found by Call-ID and our own tag, which
// every in-dialog request carries in its To, RFC 3261 §12.2.2), and live calls per gateway.
// Nothing here is read from the snapshot: calls survive reloads.

/** One outbound INVITE to one carrier, with its auth retries (same Call-ID, CSeq rising). */
export type Attempt = {
  readonly candidate: RouteCandidate;
  readonly leg: DialogLeg;
  invite: SipRequest;
  tx: ClientTransaction | null;
  /** Realms answered so far (RFC 3261 §22.2: once each, unless stale). */
  readonly answeredRealms: Set<string>;
  /** A response has come (SS_SIP_TIMEOUT_INVITE no longer runs; CANCEL may be sent, §9.1). */
  responded: boolean;
  /** The call gave up on it: CANCEL it at its first provisional, ACK and BYE a late 2xx. */
  detached: boolean;
  cancelSent: boolean;
  timer: TimerHandle | null;
  /** Its line is in the call record's attempts. */
  settled: boolean;
  /** A 2xx came: its dialog is confirmed (RFC 3261 §12.1.2). */
  answered: boolean;
};

export type CallState = "trying" | "early" | "answered" | "ended";

export type Call = {
  readonly id: string;
  readonly startedAt: number;
  answeredAt: number | null;
  state: CallState;
  readonly mappingGatewayId: string;
  readonly mappingGatewayName: string;
  readonly callee: string;
  readonly caller: string;
  /** ip:port the INVITE came from (the CDR's source address). */
  readonly sourceAddress: string;
  /** The snapshot version that routed the call. */
  readonly configVersion: number;
  readonly inbound: SipRequest;
  /** The caller's INVITE transaction; none for a call resumed after a restart (answered long ago). */
  readonly tx: InviteServerTransaction | null;
  /** The caller's side: we are its UAS. */
  readonly a: DialogLeg;
  readonly candidates: readonly RouteCandidate[];
  next: number;
  tried: number;
  attempt: Attempt | null;
  /** Our ACK on the carrier's dialog, sent again for each retransmitted 2xx (RFC 3261 §13.2.2.4). */
  ack: SipRequest | null;
  /** SS_SIP_SESSION_TTL: ends a call silent that long (none when the parameter is 0). */
  ttl: TimerHandle | null;
  /** RFC 4028 §10: ends the call when a session refresh that was due has not come. */
  refreshDue: TimerHandle | null;
  /** The session interval (s) of the last 2xx that set one (RFC 4028), or null. */
  sessionInterval: number | null;
  /** Requests inside the call relayed between the legs (in-dialog-relay.ts). */
  readonly relay: RelayState;
  readonly settings: CallSettings;
  /** Carrier challenges answered over all attempts (CDR). */
  challengesAnswered: number;
  /** Every carrier tried and how it ended (CDR), in order. */
  readonly attempts: CdrAttempt[];
  /** What the caller got last: 200 once answered, else the final failure (CDR). */
  finalCode: number | null;
  finalReason: string | null;
  /** Who ends the call when the last carrier fails: the carrier's answer → callee, our timeout → server. */
  failedBy: "callee" | "server";
};

export type CallSettings = {
  /** SS_SIP_TIMEOUT_INVITE: no first response from a carrier within this → the next one. */
  readonly inviteTimeoutMs: number;
  /** SS_GATEWAY_SWITCH_LIMIT: most carriers tried for one call. */
  readonly switchLimit: number;
  /** SS_SIP_SESSION_TTL: an answered call with no in-dialog traffic for this long is ended; 0 = never. */
  readonly sessionTtlMs: number;
  /** SS_SIP_MIN_SE: the smallest RFC 4028 session interval accepted, in seconds. */
  readonly minSessionExpires: number;
  /** SS_SIP_ALLOW_REFER: REFER inside a call is relayed (else 403). */
  readonly allowRefer: boolean;
};

/** What `liveCalls()` shows (GET /v1/calls, lib/domain/cdr.ts liveCallSchema). */
export type LiveCall = LiveCallView & { state: CallState; mappingGatewayName: string; sourceAddress: string };

export type DialogMatch = { readonly call: Call; readonly side: "a" | "b" };

const dialogKey = (callId: string, localTag: string) => `${callId}\n${localTag}`;

export class CallRegistry {
  readonly calls = new Map<string, Call>();
  private readonly dialogs = new Map<string, DialogMatch>();
  private readonly byTx = new WeakMap<InviteServerTransaction, Call>();
  private readonly live = new Map<string, number>();

  add(call: Call): void {
    this.calls.set(call.id, call);
    if (call.tx !== null) this.byTx.set(call.tx, call);
    this.dialogs.set(dialogKey(call.a.callId, call.a.localTag), { call, side: "a" });
    this.hold(call.mappingGatewayId);
  }

  addLeg(call: Call, leg: DialogLeg): void {
    this.dialogs.set(dialogKey(leg.callId, leg.localTag), { call, side: "b" });
  }

  removeLeg(leg: DialogLeg): void {
    this.dialogs.delete(dialogKey(leg.callId, leg.localTag));
  }

  remove(call: Call): void {
    this.calls.delete(call.id);
    this.removeLeg(call.a);
    this.release(call.mappingGatewayId);
  }

  byInviteTransaction(tx: InviteServerTransaction): Call | undefined {
    return this.byTx.get(tx);
  }

  /** RFC 3261 §12.2.2: the dialog a request belongs to: Call-ID, our tag in To, the peer's in From. */
  match(request: SipRequest): DialogMatch | undefined {
    const toTag = getTo(request)?.tag;
    const callId = getCallId(request);
    if (toTag == null || callId === undefined) return undefined;
    const found = this.dialogs.get(dialogKey(callId, toTag));
    if (found === undefined) return undefined;
    const leg = found.side === "a" ? found.call.a : found.call.attempt?.leg;
    const fromTag = getFrom(request)?.tag ?? null;
    return leg && (leg.remoteTag === null || leg.remoteTag === fromTag) ? found : undefined;
  }

  /** Live calls through a gateway, both ways (capacity). */
  count(gatewayId: string): number {
    return this.live.get(gatewayId) ?? 0;
  }

  hold(gatewayId: string): void {
    this.live.set(gatewayId, this.count(gatewayId) + 1);
  }

  release(gatewayId: string): void {
    const left = this.count(gatewayId) - 1;
    if (left > 0) this.live.set(gatewayId, left);
    else this.live.delete(gatewayId);
  }

  list(): LiveCall[] {
    return [...this.calls.values()].map((c) => ({
      id: c.id,
      state: c.state,
      mappingGatewayId: c.mappingGatewayId,
      routingGatewayId: c.attempt?.candidate.gateway.id ?? null,
      caller: c.caller,
      callee: c.callee,
      startedAt: c.startedAt,
      answeredAt: c.answeredAt,
      mappingGatewayName: c.mappingGatewayName,
      sourceAddress: c.sourceAddress,
    }));
  }
}
