// Server transactions (RFC 3261 §17.2, with the Accepted state of RFC 6026 §7.1 for INVITE 2xx).
import type { Clock } from "@/lib/engine/clock";
import { getTo } from "@/lib/engine/sip/accessors";
import type { SipRequest, SipResponse } from "@/lib/engine/sip/message";
import { buildResponse } from "@/lib/engine/sip/response";
import { serializeMessage } from "@/lib/engine/sip/serializer";
import { ackMatchKey } from "@/lib/engine/transaction/matching";
import {
  moveCount,
  type ServerTransactionState,
  type StateCounts,
  type TransactionTotals,
} from "@/lib/engine/transaction/stats";
import { NEVER, TimedEntry, type TimerSettings } from "@/lib/engine/transaction/timers";
import type { Remote, SendBytes } from "@/lib/engine/transport/remote";

export interface ServerTransaction {
  /** The method of the request that created it (CANCEL has a transaction of its own). */
  readonly method: string;
  /** Where the request came from, and where every response goes (UDP source, TCP connection). */
  readonly remote: Remote;
  readonly state: ServerTransactionState;
  /**
   * Serializes and sends `response` to `remote` and moves the state machine on. Provisional
   * responses may be sent any number of times, then one final response; anything after the final
   * is ignored and answers false (e.g. a 487 racing a 200).
   */
  respond(response: SipResponse): boolean;
  /**
   * Ends the transaction without a response (a request the core chooses to ignore) and forgets it
   * at once: nothing is held for a source we will not answer, and a retransmission of the request
   * reaches onRequest again as a new one. Call it before 200 ms to keep an INVITE's 100 unsent.
   */
  abandon(): void;
}

export interface InviteServerTransaction extends ServerTransaction {
  /** The INVITE (kept so that the core can answer it 487 when a CANCEL arrives, RFC 3261 §9.2). */
  readonly request: SipRequest;
}

/** What a server transaction needs from its layer; one object shared by every transaction. */
export interface ServerHost {
  readonly clock: Clock;
  readonly send: SendBytes;
  readonly timers: TimerSettings;
  readonly totals: TransactionTotals;
  readonly inviteCounts: StateCounts;
  readonly nonInviteCounts: StateCounts;
  removeServer(transaction: ServerTx): void;
  awaitAck(transaction: ServerTx, key: string): void;
  forgetAck(key: string): void;
  ackTimeout(transaction: ServerTx): void;
}

// RFC 3261 §17.2.1: a 100 Trying goes out if the TU has not answered within 200 ms.
const TRYING_DELAY_MS = 200;

export class ServerTx extends TimedEntry implements InviteServerTransaction {
  state: ServerTransactionState;
  readonly method: string;
  readonly isInvite: boolean;
  /** To tag of the final response: an RFC 2543 ACK must carry it (§17.2.3). */
  finalToTag: string | null = null;
  private readonly invite: SipRequest | null;
  private last: Buffer | null = null;
  private interval = 0;
  private ackKey: string | null = null;
  private acked = false;

  constructor(
    private readonly host: ServerHost,
    readonly key: string,
    request: SipRequest,
    readonly remote: Remote,
  ) {
    super(host.clock);
    this.method = request.method;
    this.isInvite = request.method === "INVITE";
    // Only an INVITE keeps its request: 10,000 REGISTER/s held 32 s each must not hold their bytes.
    this.invite = this.isInvite ? request : null;
    this.state = this.isInvite ? "proceeding" : "trying";
    moveCount(this.counts(), null, this.state);
    host.totals.serverCreated++;
    // A non-INVITE the TU never answers is dropped once its client has given up (Timer F, 64*T1),
    // so that a TU bug cannot hold memory; an INVITE may ring as long as the TU lets it (§17.2.1)
    if (this.isInvite) this.retransmitAt = host.clock.now() + TRYING_DELAY_MS;
    else this.timeoutAt = host.clock.now() + 64 * host.timers.t1;
    this.arm();
  }

  get request(): SipRequest {
    if (this.invite === null) throw new Error("only an INVITE server transaction keeps its request");
    return this.invite;
  }

  respond(response: SipResponse): boolean {
    const state = this.state;
    if (state !== "trying" && state !== "proceeding") return false;
    if (response.status < 100 || response.status > 699)
      throw new RangeError(`status ${response.status} is not a SIP status`);
    this.last = serializeMessage(response);
    this.host.send(this.last, this.remote);
    if (response.status < 200) {
      // RFC 3261 §17.2.2: a provisional response moves Trying to Proceeding
      if (state === "trying") this.setState("proceeding");
      this.retransmitAt = NEVER;
      this.arm();
    } else if (!this.isInvite) this.completeNonInvite();
    else if (response.status < 300) this.accept(response);
    else this.completeInvite(response);
    return true;
  }

  /** A retransmission of the request that created the transaction. */
  receiveRetransmission(): void {
    this.host.totals.absorbed++;
    // RFC 3261 §17.2.1, §17.2.2: resend the last response in Proceeding and Completed; Trying,
    // Confirmed and (RFC 6026 §7.1) Accepted absorb it silently
    if ((this.state === "proceeding" || this.state === "completed") && this.last !== null)
      this.host.send(this.last, this.remote);
  }

  /** An ACK matched to this INVITE transaction; true when it acknowledges a 2xx (the TU's). */
  receiveAck(): boolean {
    if (this.state === "accepted") {
      this.ackReceived();
      return true;
    }
    this.host.totals.absorbed++;
    if (this.state !== "completed") return false;
    // RFC 3261 §17.2.1: ACK in Completed → Confirmed; Timer I = T4 (UDP) or 0 (reliable)
    this.setState("confirmed");
    this.retransmitAt = NEVER;
    if (this.reliable()) this.terminate();
    else {
      this.timeoutAt = this.host.clock.now() + this.host.timers.t4;
      this.arm();
    }
    return false;
  }

  /** The ACK for our 2xx arrived (matched by dialog, §13.2.2.4): stop retransmitting the 2xx. */
  ackReceived(): void {
    this.acked = true;
    this.forgetAckKey();
    this.retransmitAt = NEVER;
    this.arm();
  }

  abandon(): void {
    if (this.state !== "terminated") this.terminate();
  }

  protected onRetransmit(): void {
    if (this.state === "proceeding") {
      // only the 100 Trying timer runs in Proceeding: any response from the TU has cancelled it
      this.retransmitAt = NEVER;
      if (this.invite !== null) {
        this.last = serializeMessage(buildResponse(this.invite, 100, "Trying"));
        this.host.send(this.last, this.remote);
      }
      return;
    }
    // Timer G (§17.2.1) in Completed, or the 2xx retransmission of §13.3.1.4 in Accepted
    if (this.last !== null) this.host.send(this.last, this.remote);
    this.host.totals.retransmitted++;
    this.interval = Math.min(this.interval * 2, this.host.timers.t2);
    this.retransmitAt = this.host.clock.now() + this.interval;
  }

  protected onTimeout(): void {
    const state = this.state;
    // Timer H in Completed, or Timer L in Accepted without an ACK: the TU learns (§17.2.1, §13.3.1.4)
    const unacknowledged = this.isInvite && (state === "completed" || (state === "accepted" && !this.acked));
    if (state === "trying" || state === "proceeding") this.host.totals.unanswered++;
    this.terminate();
    if (unacknowledged) this.host.ackTimeout(this);
  }

  private completeNonInvite(): void {
    // RFC 3261 §17.2.2: Completed; Timer J = 64*T1 over UDP, 0 over a reliable transport
    this.setState("completed");
    if (this.reliable()) return this.terminate();
    this.timeoutAt = this.host.clock.now() + 64 * this.host.timers.t1;
    this.arm();
  }

  private completeInvite(response: SipResponse): void {
    // RFC 3261 §17.2.1: Completed; Timer G (UDP only) from T1, Timer H = 64*T1 on every transport
    this.finalToTag = getTo(response)?.tag ?? null;
    this.setState("completed");
    const now = this.host.clock.now();
    this.timeoutAt = now + 64 * this.host.timers.t1;
    this.retransmitAt = this.reliable() ? NEVER : now + this.host.timers.t1;
    this.interval = this.host.timers.t1;
    this.arm();
  }

  private accept(response: SipResponse): void {
    // RFC 6026 §7.1: Accepted (not Terminated) for Timer L = 64*T1, absorbing INVITE retransmissions;
    // RFC 3261 §13.3.1.4: the 2xx is retransmitted from T1, doubling to T2, until its ACK arrives
    // (over UDP only, as Kamailio and PJSIP do: a reliable hop does not lose it)
    this.finalToTag = getTo(response)?.tag ?? null;
    this.setState("accepted");
    const now = this.host.clock.now();
    this.timeoutAt = now + 64 * this.host.timers.t1;
    this.retransmitAt = this.reliable() ? NEVER : now + this.host.timers.t1;
    this.interval = this.host.timers.t1;
    this.arm();
    const key = ackMatchKey(response);
    if (key !== null) {
      this.ackKey = key;
      this.host.awaitAck(this, key);
    }
  }

  private reliable(): boolean {
    return this.remote.transport !== "udp";
  }

  private terminate(): void {
    this.setState("terminated");
    this.stopTimers();
    this.last = null;
    this.forgetAckKey();
    this.host.removeServer(this);
  }

  private forgetAckKey(): void {
    if (this.ackKey !== null) this.host.forgetAck(this.ackKey);
    this.ackKey = null;
  }

  private setState(next: ServerTransactionState): void {
    moveCount(this.counts(), this.state, next);
    this.state = next;
  }

  private counts(): StateCounts {
    return this.isInvite ? this.host.inviteCounts : this.host.nonInviteCounts;
  }
}
