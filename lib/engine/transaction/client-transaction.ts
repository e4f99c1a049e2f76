// Client transactions (RFC 3261 §17.1, with the Accepted state of RFC 6026 §7.2 for INVITE 2xx).
import type { Clock } from "@/lib/engine/clock";
import type { SipRequest, SipResponse } from "@/lib/engine/sip/message";
import { serializeMessage } from "@/lib/engine/sip/serializer";
import { buildAckForFinal } from "@/lib/engine/transaction/client-requests";
import {
  moveCount,
  type ClientTransactionState,
  type StateCounts,
  type TransactionTotals,
} from "@/lib/engine/transaction/stats";
import { NEVER, TimedEntry, type TimerSettings } from "@/lib/engine/transaction/timers";
import type { Remote, SendBytes } from "@/lib/engine/transport/remote";

export interface ClientHandlers {
  /**
   * Every response the TU must see: provisionals, the final, and (INVITE, RFC 6026 §7.2) each 2xx
   * received while Accepted, retransmissions and forks included, so that the TU ACKs each.
   */
  onResponse(response: SipResponse, transaction: ClientTransaction): void;
  /** Timer B or F fired without a final response; called once, the transaction already terminated. */
  onTimeout(transaction: ClientTransaction): void;
  /** The transport reported it cannot reach `remote` (§17.1.4); onTimeout is called when absent. */
  onTransportError?(transaction: ClientTransaction): void;
}

/** For a request whose answer changes nothing (a BYE, a CANCEL, a probe): the transaction still runs its timers. */
export const ANSWER_IGNORED: ClientHandlers = { onResponse: () => undefined, onTimeout: () => undefined };

export interface ClientTransaction {
  /** The request as sent: its top Via carries `branch`. */
  readonly request: SipRequest;
  readonly branch: string;
  readonly remote: Remote;
  readonly state: ClientTransactionState;
  /**
   * Stops retransmitting and forgets the transaction without a word to anyone (shutdown, or the TU
   * gave up). It sends nothing: cancelling an INVITE is the TU's, with buildCancel (§9.1).
   */
  abandon(): void;
}

/** What a client transaction needs from its layer; one object shared by every transaction. */
export interface ClientHost {
  readonly clock: Clock;
  readonly send: SendBytes;
  readonly timers: TimerSettings;
  readonly totals: TransactionTotals;
  readonly inviteCounts: StateCounts;
  readonly nonInviteCounts: StateCounts;
  removeClient(transaction: ClientTx): void;
}

export class ClientTx extends TimedEntry implements ClientTransaction {
  state: ClientTransactionState = "terminated";
  readonly isInvite: boolean;
  private bytes: Buffer | null;
  private ack: Buffer | null = null;
  private interval = 0;

  constructor(
    private readonly host: ClientHost,
    readonly key: string,
    readonly request: SipRequest,
    readonly branch: string,
    readonly remote: Remote,
    private readonly handlers: ClientHandlers,
  ) {
    super(host.clock);
    this.isInvite = request.method === "INVITE";
    this.bytes = serializeMessage(request);
  }

  /** Sends the request and arms Timers A and B (INVITE) or E and F (non-INVITE). */
  start(): void {
    this.host.totals.clientCreated++;
    this.setState(this.isInvite ? "calling" : "trying");
    if (this.bytes !== null) this.host.send(this.bytes, this.remote);
    const { t1 } = this.host.timers;
    const now = this.host.clock.now();
    // RFC 3261 §17.1.1.2, §17.1.2.2: B / F = 64*T1 on every transport; A / E from T1 over UDP only
    this.timeoutAt = now + 64 * t1;
    if (!this.reliable()) {
      this.interval = t1;
      this.retransmitAt = now + t1;
    }
    this.arm();
  }

  receive(response: SipResponse): void {
    if (this.isInvite) this.receiveInvite(response);
    else this.receiveNonInvite(response);
  }

  abandon(): void {
    if (this.state !== "terminated") this.terminate();
  }

  /** RFC 3261 §17.1.4: a transport failure ends the transaction and is reported once. */
  transportError(): void {
    // A transaction that already has its final response has nothing left to lose
    if (this.state !== "calling" && this.state !== "trying" && this.state !== "proceeding") return;
    this.terminate();
    if (this.handlers.onTransportError !== undefined) this.handlers.onTransportError(this);
    else this.handlers.onTimeout(this);
  }

  private receiveInvite(response: SipResponse): void {
    const status = response.status;
    if (this.state === "calling" || this.state === "proceeding") {
      if (status < 200) {
        // RFC 3261 §17.1.1.2: a provisional stops Timers A and B
        if (this.state === "calling") this.setState("proceeding");
        this.stopTimers();
      } else if (status < 300) {
        // RFC 6026 §7.2: Accepted for Timer M = 64*T1, passing further 2xx to the TU
        this.setState("accepted");
        this.retransmitAt = NEVER;
        this.timeoutAt = this.host.clock.now() + 64 * this.host.timers.t1;
        this.arm();
        this.bytes = null;
      } else this.completeInvite(response);
      this.handlers.onResponse(response, this);
    } else if (this.state === "accepted" && status >= 200 && status < 300) {
      this.handlers.onResponse(response, this);
    } else if (this.state === "completed" && status >= 300) {
      // RFC 3261 §17.1.1.2: a retransmitted final in Completed is answered with the ACK again
      this.host.totals.absorbed++;
      if (this.ack !== null) this.host.send(this.ack, this.remote);
    } else this.host.totals.absorbed++;
  }

  private completeInvite(response: SipResponse): void {
    // RFC 3261 §17.1.1.3: the transaction itself ACKs a non-2xx final, to the INVITE's destination
    this.ack = serializeMessage(buildAckForFinal(this.request, response));
    this.host.send(this.ack, this.remote);
    this.setState("completed");
    this.bytes = null;
    // Timer D: 32 s over UDP, 0 over a reliable transport
    if (this.reliable()) return this.terminate();
    this.retransmitAt = NEVER;
    this.timeoutAt = this.host.clock.now() + this.host.timers.d;
    this.arm();
  }

  private receiveNonInvite(response: SipResponse): void {
    if (this.state === "completed") {
      this.host.totals.absorbed++;
      return;
    }
    if (response.status < 200) {
      // RFC 3261 §17.1.2.2: Trying → Proceeding; Timer E keeps running (then at T2)
      if (this.state === "trying") this.setState("proceeding");
    } else {
      // RFC 3261 §17.1.2.2: Completed; Timer K = T4 over UDP, 0 over a reliable transport
      this.setState("completed");
      this.bytes = null;
      if (this.reliable()) this.terminate();
      else {
        this.retransmitAt = NEVER;
        this.timeoutAt = this.host.clock.now() + this.host.timers.t4;
        this.arm();
      }
    }
    this.handlers.onResponse(response, this);
  }

  protected onRetransmit(): void {
    if (this.bytes === null) return;
    this.host.send(this.bytes, this.remote);
    this.host.totals.retransmitted++;
    const { t2 } = this.host.timers;
    // Timer A doubles without a cap (§17.1.1.2); Timer E doubles up to T2, and is T2 in Proceeding (§17.1.2.2)
    if (this.isInvite) this.interval *= 2;
    else this.interval = this.state === "proceeding" ? t2 : Math.min(this.interval * 2, t2);
    this.retransmitAt = this.host.clock.now() + this.interval;
  }

  protected onTimeout(): void {
    // Timer B (Calling) or F (Trying, Proceeding) times the request out; D, K and M only end the wait
    const timedOut =
      this.state === "calling" || this.state === "trying" || (this.state === "proceeding" && !this.isInvite);
    this.terminate();
    if (timedOut) {
      this.host.totals.timeouts++;
      this.handlers.onTimeout(this);
    }
  }

  private reliable(): boolean {
    return this.remote.transport !== "udp";
  }

  private terminate(): void {
    this.setState("terminated");
    this.stopTimers();
    this.bytes = null;
    this.ack = null;
    this.host.removeClient(this);
  }

  private setState(next: ClientTransactionState): void {
    moveCount(this.isInvite ? this.host.inviteCounts : this.host.nonInviteCounts, this.state, next);
    this.state = next;
  }
}
