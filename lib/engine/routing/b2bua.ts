import { randomHex } from "@/lib/engine/random-hex";
import type { SnapshotMappingGateway, SnapshotRoutingGateway } from "@/lib/domain/config-snapshot";
import type { Clock, TimerHandle } from "@/lib/engine/clock";
import type { Counters } from "@/lib/engine/metrics";
import { getCallId, getCSeq, getFrom, getRequestUri } from "@/lib/engine/sip/accessors";
import { getHeader } from "@/lib/engine/sip/header-access";
import type { HeaderInit, SipRequest, SipResponse } from "@/lib/engine/sip/message";
import { buildResponse } from "@/lib/engine/sip/response";
import type { InviteServerTransaction, ServerTransaction } from "@/lib/engine/transaction/server-transaction";
import type { TransactionLayer } from "@/lib/engine/transaction/transaction-layer";
import { ANSWER_IGNORED } from "@/lib/engine/transaction/client-transaction";
import type { Remote } from "@/lib/engine/transport/remote";
import { CallRegistry, type Call, type CallSettings, type LiveCall } from "@/lib/engine/routing/call-registry";
import { CarrierLegs, inviteCSeq } from "@/lib/engine/routing/carrier-legs";
import {
  buildInDialogRequest,
  callerDestination,
  contactUriOf,
  newTag,
  recordRoutes,
  userOf,
  type LocalAddress,
} from "@/lib/engine/routing/leg-messages";
import { selectRoutes } from "@/lib/engine/routing/route-selection";
import { hopOf, sessionExpiresOf } from "@/lib/engine/routing/end-to-end-headers";
import { InDialogRelay, newRelayState } from "@/lib/engine/routing/in-dialog-relay";
import {
  answerToOrphan,
  attemptEventOf,
  eventsOfCall,
  journaledCallOf,
  legsEventOf,
  orphanEndOf,
  restoreCall,
  setupEventOf,
  type OrphanEnd,
} from "@/lib/engine/routing/call-resume";
import type { DialogEvent, DialogJournal, JournaledState } from "@/lib/engine/routing/dialog-journal";
import { formatSource, recordOfCall, recordOfRefusal, type CdrSink, type EndedBy } from "@/lib/engine/cdr/call-record";

// The signalling B2BUA (issue 8 "Dialogs"; RFC 3261 §12–§15, RFC 7092 for the B2BUA shape): the
// caller's INVITE server transaction on one side, INVITE client transactions of our own to the
// carriers on the other (carrier-legs.ts), responses and in-dialog requests mapped across.

export type B2buaDeps = {
  readonly clock: Clock;
  readonly transactions: Pick<TransactionLayer, "sendRequest" | "sendStateless">;
  readonly counters: Counters;
  /** The engine's address for Via and Contact. */
  readonly local: () => LocalAddress;
  /** A dynamic routing gateway's registered contact (the registrations issue fills this in). */
  readonly contactOf?: (routingGatewayId: string) => Remote | null;
  readonly log?: (line: string) => void;
  /** Call records (issue 9): every call attempt, as it starts, is answered and ends. */
  readonly cdrs?: CdrSink;
};

export type CallRequest = {
  readonly mapping: SnapshotMappingGateway;
  readonly routing: readonly SnapshotRoutingGateway[];
  readonly settings: CallSettings;
  /** The snapshot version that routes the call (CDR). */
  readonly configVersion?: number;
};

export class B2bua {
  readonly registry = new CallRegistry();
  private readonly carriers: CarrierLegs;
  private readonly inDialog: InDialogRelay;
  private journal: Pick<DialogJournal, "append"> | null = null;
  /** INVITEs of calls ended in setup by a restart, by Call-ID: their late answers are ACKed (and BYEd). */
  private readonly orphans = new Map<string, { invite: SipRequest; to: Remote; expiry: TimerHandle }>();

  constructor(private readonly deps: B2buaDeps) {
    this.carriers = new CarrierLegs(deps, this.registry, {
      relay: (call, response) => this.relayToCaller(call, response),
      answered: (call) => this.armSilenceTimer(call),
      sent: (call, attempt) => this.journal?.append(attemptEventOf(call, attempt)),
      failed: (call, status, reason, response) => this.fail(call, status, reason, response, call.failedBy),
    });
    this.inDialog = new InDialogRelay(deps, {
      refreshed: (call, interval) => this.armRefreshDue(call, interval),
      changed: (call) => {
        const event = legsEventOf(call);
        if (event) this.journal?.append(event);
      },
      lost: (call, reason) => {
        this.deps.log?.(`call ${call.id}: ${reason}; ended`);
        this.hangUp(call, "both", "server", reason);
      },
    });
  }

  /** Calls in progress, both legs (issue 8: for the CDR and current-calls issue). */
  liveCalls(): LiveCall[] {
    return this.registry.list();
  }

  /** An INVITE outside any dialog from an identified mapping gateway: route it and call out. */
  handleInvite(request: SipRequest, tx: InviteServerTransaction, from: Remote, route: CallRequest): void {
    const callee = userOf(getRequestUri(request));
    const caller = userOf(getFrom(request)?.uri);
    this.deps.counters.inc("calls_started_total");
    const selection = selectRoutes({
      mapping: route.mapping,
      routing: route.routing,
      callee,
      caller,
      liveCalls: (id) => this.registry.count(id),
      contactOf: this.deps.contactOf ?? (() => null),
    });
    const interval = sessionExpiresOf(request);
    const minimum = route.settings.minSessionExpires;
    // RFC 4028 §8.1: a session interval below our minimum is refused with ours
    if (interval !== null && interval < minimum) {
      return this.refuse(request, tx, from, route, 422, "Session Interval Too Small", [["Min-SE", `${minimum}`]]);
    }
    if (!selection.ok) return this.refuse(request, tx, from, route, selection.status, selection.reason);
    const callerTag = getFrom(request)?.tag ?? null;
    const routeSet = recordRoutes(request);
    const replyTo = callerDestination(request, from, route.mapping.replyAddress);
    const ourTag = newTag();
    const callId = getHeader(request, "call-id") ?? "";
    const call: Call = {
      id: randomHex(8),
      startedAt: this.deps.clock.now(),
      answeredAt: null,
      state: "trying",
      mappingGatewayId: route.mapping.id,
      mappingGatewayName: route.mapping.name,
      callee,
      caller,
      sourceAddress: formatSource(from),
      configVersion: route.configVersion ?? 0,
      inbound: request,
      tx,
      // RFC 3261 §12.1.1: the UAS's dialog: remote target = Contact, route set = Record-Route as is
      a: {
        callId,
        localTag: ourTag,
        localHeader: `${getHeader(request, "to") ?? ""};tag=${ourTag}`,
        remoteTag: callerTag,
        remoteHeader: getHeader(request, "from") ?? "",
        remoteTarget: contactUriOf(request, request.uri),
        routeSet,
        localCSeq: 0,
        // RFC 3261 §12.2.1.1: through the caller's route set (a proxy in front of us) when it has one
        destination: routeSet.length > 0 ? hopOf(routeSet[0], replyTo) : replyTo,
      },
      candidates: selection.candidates,
      next: 0,
      tried: 0,
      attempt: null,
      ack: null,
      ttl: null,
      refreshDue: null,
      sessionInterval: null,
      relay: newRelayState(),
      settings: route.settings,
      challengesAnswered: 0,
      attempts: [],
      finalCode: null,
      finalReason: null,
      failedBy: "server",
    };
    this.registry.add(call);
    this.deps.cdrs?.open(recordOfCall(call, call.startedAt, "server"));
    this.journal?.append(setupEventOf(call));
    this.carriers.tryNext(call);
  }

  /** An INVITE that never becomes a call: its final response and its record. */
  private refuse(
    request: SipRequest,
    tx: InviteServerTransaction,
    from: Remote,
    route: CallRequest,
    status: number,
    reason: string,
    headers: HeaderInit[] = [],
  ): void {
    this.deps.counters.inc("calls_failed_total", ["code", status]);
    tx.respond(buildResponse(request, status, reason, headers));
    const refusal = {
      code: status,
      reason,
      illegal: false,
      configVersion: route.configVersion ?? 0,
      mapping: route.mapping,
    };
    this.deps.cdrs?.write(recordOfRefusal(request, from, this.deps.clock.now(), refusal));
  }

  /**
   * A request that may belong to a call's dialog (checked before access control: a carrier's BYE
   * comes from no mapping gateway). True when it was a call's, and answered.
   */
  handleInDialog(request: SipRequest, tx: ServerTransaction): boolean {
    const match = this.registry.match(request);
    if (match === undefined) return false;
    const { call, side } = match;
    if (request.method === "BYE") {
      // RFC 3261 §15.1.2: answer the BYE, then end the other leg with a BYE of its own
      tx.respond(buildResponse(request, 200, "OK"));
      this.hangUp(call, side === "a" ? "b" : "a", side === "a" ? "caller" : "callee");
      return true;
    }
    this.armSilenceTimer(call);
    this.inDialog.relay(call, side, request, tx);
    return true;
  }

  /** An ACK outside a transaction (RFC 3261 §13.2.2.4): the caller's for our 2xx is sent on to the carrier. */
  handleAck(ack: SipRequest): boolean {
    const match = this.registry.match(ack);
    if (match === undefined) return false;
    const { call, side } = match;
    const initial = getCSeq(ack)?.number === getCSeq(call.inbound)?.number;
    if (side === "a" && initial && call.state === "answered" && call.attempt !== null && call.ack === null) {
      const type = getHeader(ack, "content-type");
      call.ack = buildInDialogRequest(
        call.attempt.leg,
        "ACK",
        inviteCSeq(call.attempt),
        this.deps.local(),
        type ? { type, bytes: ack.body } : undefined,
      );
      this.deps.transactions.sendStateless(call.ack, call.attempt.leg.destination);
    } else if (!initial) this.inDialog.ack(call, side, ack);
    this.armSilenceTimer(call);
    return true;
  }

  /** RFC 3261 §9.2: the caller's CANCEL; true when the call was ours (then 487 is sent here). */
  handleCancel(invite: InviteServerTransaction): boolean {
    const call = this.registry.byInviteTransaction(invite);
    if (call === undefined || call.state === "answered" || call.state === "ended") return false;
    if (call.attempt !== null) this.carriers.giveUp(call.attempt);
    this.fail(call, 487, "Request Terminated", null, "caller");
    return true;
  }

  /** RFC 3261 §13.3.1.4: the caller never ACKed our 2xx: end the call with BYEs both ways. */
  handleAckTimeout(invite: InviteServerTransaction): void {
    const call = this.registry.byInviteTransaction(invite);
    if (call === undefined || call.state !== "answered" || call.ack !== null) return;
    if (call.attempt !== null)
      this.deps.transactions.sendStateless(
        buildInDialogRequest(call.attempt.leg, "ACK", inviteCSeq(call.attempt), this.deps.local()),
        call.attempt.leg.destination,
      );
    this.hangUp(call, "both", "server", "no ACK from the caller");
  }

  /**
   * The operator hangs a call up (DELETE /v1/calls): BYE on both legs of an answered call, 487 to
   * the caller and CANCEL to the carrier for a ringing one. False when no such call.
   */
  hangUpById(id: string): boolean {
    const call = this.registry.calls.get(id);
    if (call === undefined || call.state === "ended") return false;
    this.deps.log?.(`call ${call.id}: hung up by operator`);
    this.hangUp(call, "both", "server", "hung up by operator");
    return true;
  }

  /**
   * Shutdown (SIGTERM) ends no call (DESIGN.md): timers stop; the dialog journal and the open call
   * records keep every call, which the next start resumes (answered) or ends cleanly (in setup).
   */
  stop(): void {
    for (const call of this.registry.calls.values()) {
      call.ttl?.cancel();
      call.refreshDue?.cancel();
      call.attempt?.timer?.cancel();
    }
    for (const orphan of this.orphans.values()) orphan.expiry.cancel();
  }

  /** Where the dialog journal goes (engine.ts attaches it once the calls it held are resumed). */
  attachJournal(journal: Pick<DialogJournal, "append">): void {
    this.journal = journal;
  }

  /** The live calls as dialog journal events: the checkpoint a new journal file starts with. */
  checkpoint(): DialogEvent[] {
    return [...this.registry.calls.values()].flatMap((call) => eventsOfCall(call));
  }

  /**
   * After a restart (issue 18): answered calls the journal kept are resumed, in-dialog requests and
   * BYE relayed as before; calls still in setup are ended on both sides. Returns how many of each.
   */
  resume(
    states: ReadonlyMap<string, JournaledState>,
    routing: readonly SnapshotRoutingGateway[],
    settings: CallSettings,
  ): { resumed: number; ended: number } {
    let resumed = 0;
    let ended = 0;
    for (const state of states.values()) {
      if (state.up && state.setup && state.attempt) {
        const call = restoreCall(
          { up: state.up, setup: state.setup, attempt: state.attempt },
          routing,
          settings,
          this.deps.local(),
        );
        this.registry.add(call);
        this.carriers.adopt(call, call.attempt!);
        this.armSilenceTimer(call);
        this.armRefreshDue(call, call.sessionInterval);
        this.deps.cdrs?.open(recordOfCall(call, this.deps.clock.now(), "server"));
        resumed++;
      } else {
        this.endOrphan(orphanEndOf(state));
        ended++;
      }
    }
    return { resumed, ended };
  }

  /** A response no client transaction claimed: a carrier answering the INVITE of a call ended in setup. */
  handleStray(response: SipResponse): boolean {
    const orphan = this.orphans.get(getCallId(response) ?? "");
    if (orphan === undefined) return false;
    for (const request of answerToOrphan(orphan.invite, response, orphan.to, this.deps.local())) {
      if (request.method === "ACK") this.deps.transactions.sendStateless(request, orphan.to);
      else this.deps.transactions.sendRequest(request, orphan.to, ANSWER_IGNORED);
    }
    return true;
  }

  private endOrphan(end: OrphanEnd): void {
    if (end.toCaller) this.deps.transactions.sendStateless(end.toCaller.response, end.toCaller.to);
    if (end.cancel === null) return;
    const { request, to, invite } = end.cancel;
    this.deps.transactions.sendRequest(request, to, ANSWER_IGNORED);
    // RFC 3261 §17.1.1.2 Timer B (64·T1): how long the carrier may still answer that INVITE
    const callId = getCallId(invite) ?? "";
    const expiry = this.deps.clock.setTimer(32_000, () => this.orphans.delete(callId));
    this.orphans.set(callId, { invite, to, expiry });
  }

  private relayToCaller(call: Call, response: SipResponse): void {
    if (response.status >= 200 && response.status < 300) {
      call.state = "answered";
      call.answeredAt = this.deps.clock.now();
      call.finalCode = response.status;
      call.finalReason = response.reason;
      this.deps.counters.inc("calls_answered_total");
      this.deps.cdrs?.open(recordOfCall(call, call.answeredAt, "server"));
      this.armRefreshDue(call, sessionExpiresOf(response));
      this.journal?.append({ t: "up", id: call.id, call: journaledCallOf(call) });
    } else if (call.state === "trying") call.state = "early";
    call.tx?.respond(this.carriers.relayed(call, response));
  }

  private fail(
    call: Call,
    status: number,
    reason: string,
    carrier: SipResponse | null,
    by: EndedBy,
    override?: string,
  ): void {
    if (call.state === "ended") return;
    // The attempt still running (a caller's CANCEL, an operator's hang-up) ends with the call
    if (call.attempt !== null) this.carriers.settle(call, call.attempt, status, reason, false);
    this.deps.counters.inc("calls_failed_total", ["code", status]);
    call.finalCode = carrier?.status ?? status;
    call.finalReason = carrier?.reason ?? reason;
    call.tx?.respond(
      carrier
        ? this.carriers.relayed(call, carrier)
        : buildResponse(call.inbound, status, reason, [], { toTag: call.a.localTag }),
    );
    this.end(call, by, override);
  }

  /** Sends BYE on `to` (the leg the BYE did not come from, or both) and ends the call. */
  private hangUp(call: Call, to: "a" | "b" | "both", by: EndedBy, override?: string): void {
    const local = this.deps.local();
    if ((to === "a" || to === "both") && call.state === "answered") {
      const bye = buildInDialogRequest(call.a, "BYE", ++call.a.localCSeq, local);
      this.deps.transactions.sendRequest(bye, call.a.destination, ANSWER_IGNORED);
    }
    if ((to === "b" || to === "both") && call.attempt !== null) {
      if (call.state === "answered") this.carriers.bye(call.attempt);
      else this.carriers.giveUp(call.attempt);
    }
    // A BYE from the caller in an early dialog: the INVITE is ended with 487 (RFC 3261 §15.1.2)
    if (call.state !== "answered") return this.fail(call, 487, "Request Terminated", null, by, override);
    this.end(call, by, override);
  }

  private armSilenceTimer(call: Call): void {
    if (call.state !== "answered") return;
    call.ttl?.cancel();
    call.ttl = null;
    const ttl = call.settings.sessionTtlMs;
    if (ttl === 0) return;
    // SS_SIP_SESSION_TTL: a call silent that long is ended by the server
    call.ttl = this.deps.clock.setTimer(ttl, () => {
      this.deps.log?.(`call ${call.id}: no request inside the call for ${ttl / 1000} s; ended by the server`);
      this.hangUp(call, "both", "server", "session timer expired");
    });
  }

  /**
   * RFC 4028 §10: with a session interval negotiated (the Session-Expires of the last 2xx), the call
   * ends when no refresh came by the interval minus the lesser of 32 s and a third of it. A 2xx
   * without Session-Expires turns the session timer off (§7.4).
   */
  private armRefreshDue(call: Call, interval: number | null): void {
    call.refreshDue?.cancel();
    call.refreshDue = null;
    if (interval !== call.sessionInterval) this.journal?.append({ t: "interval", id: call.id, seconds: interval });
    call.sessionInterval = interval;
    if (interval === null || call.state !== "answered") return;
    const seconds = interval - Math.min(32, interval / 3);
    call.refreshDue = this.deps.clock.setTimer(seconds * 1000, () => {
      this.deps.log?.(`call ${call.id}: no session refresh within ${interval} s; ended by the server`);
      this.hangUp(call, "both", "server", "session timer expired");
    });
  }

  private end(call: Call, by: EndedBy, override?: string): void {
    if (call.state === "ended" && !this.registry.calls.has(call.id)) return;
    this.deps.cdrs?.write(recordOfCall(call, this.deps.clock.now(), by, override));
    call.state = "ended";
    call.ttl?.cancel();
    call.ttl = null;
    call.refreshDue?.cancel();
    call.refreshDue = null;
    this.journal?.append({ t: "end", id: call.id });
    if (call.attempt !== null) this.carriers.release(call.attempt);
    this.registry.remove(call);
  }
}
