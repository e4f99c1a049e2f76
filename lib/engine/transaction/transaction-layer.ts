// The transaction layer (RFC 3261 §17): matches every message to its transaction, absorbs
// retransmissions, runs timers A–M, and hands new requests up through the callbacks it is given.
import type { Clock } from "@/lib/engine/clock";
import { getCSeq, getTo, getTopVia } from "@/lib/engine/sip/accessors";
import type { SipMessage, SipRequest, SipResponse } from "@/lib/engine/sip/message";
import { serializeMessage } from "@/lib/engine/sip/serializer";
import { withBranch } from "@/lib/engine/transaction/client-requests";
import {
  ClientTx,
  type ClientHandlers,
  type ClientHost,
  type ClientTransaction,
} from "@/lib/engine/transaction/client-transaction";
import { ackMatchKey, clientKey, isLegacyKey, serverKey } from "@/lib/engine/transaction/matching";
import {
  ServerTx,
  type InviteServerTransaction,
  type ServerHost,
  type ServerTransaction,
} from "@/lib/engine/transaction/server-transaction";
import { createTally, snapshotStats, type TransactionStats } from "@/lib/engine/transaction/stats";
import { resolveTimers, type TimerSettings } from "@/lib/engine/transaction/timers";
import type { Remote, SendBytes } from "@/lib/engine/transport/remote";

export interface TransactionLayerOptions {
  readonly clock: Clock;
  readonly send: SendBytes;
  /** Once per new server transaction, never for a retransmission; never for ACK (see onAck). */
  readonly onRequest: (request: SipRequest, transaction: ServerTransaction, from: Remote) => void;
  /**
   * Every ACK that is not absorbed by an INVITE server transaction (RFC 3261 §17.2.1: the ACK for
   * a 2xx is outside the transaction): ACKs for our 2xx, their retransmissions, and unmatched ACKs.
   */
  readonly onAck?: (ack: SipRequest, from: Remote) => void;
  /** Responses that match no client transaction (RFC 3261 §18.1.2: passed to the core). */
  readonly onStrayResponse?: (response: SipResponse, from: Remote) => void;
  /**
   * An INVITE server transaction's final response was never acknowledged: Timer H after a non-2xx
   * (§17.2.1), or Timer L after a 2xx retransmitted until then (§13.3.1.4: the TU should send BYE).
   */
  readonly onAckTimeout?: (transaction: InviteServerTransaction) => void;
  readonly timers?: Partial<TimerSettings>;
}

export interface TransactionLayer {
  /** Every parsed message from the transports. */
  receive(message: SipMessage, from: Remote): void;
  /**
   * Starts a client transaction. The top Via's RFC 3261 branch is kept (a CANCEL must reuse its
   * INVITE's, §9.1), or one is added when it has none. ACK is not a transaction: use sendStateless.
   */
  sendRequest(request: SipRequest, to: Remote, handlers: ClientHandlers): ClientTransaction;
  /** RFC 3261 §9.2: the INVITE server transaction a CANCEL names, while it is held. */
  findInviteServerTransaction(cancel: SipRequest): InviteServerTransaction | undefined;
  /** Sends outside any transaction: the ACK for a 2xx (§13.2.2.4), stateless replies. */
  sendStateless(message: SipMessage, to: Remote): void;
  /** The transport cannot reach `to` (a TCP connect failed, a connection closed): §17.1.4. */
  reportTransportError(to: Remote): void;
  stats(): TransactionStats;
  /** Ends every transaction silently and cancels every timer (shutdown). */
  stop(): void;
}

export function createTransactionLayer(options: TransactionLayerOptions): TransactionLayer {
  const { clock, send, onRequest, onAck, onStrayResponse, onAckTimeout } = options;
  const timers = resolveTimers(options.timers);
  const tally = createTally();
  const totals = tally.totals;
  const servers = new Map<string, ServerTx>();
  const clients = new Map<string, ClientTx>();
  // 2xx we sent, awaiting the ACK that carries a branch of its own (§17.1.1.3)
  const awaitingAck = new Map<string, ServerTx>();

  const serverHost: ServerHost = {
    clock,
    send,
    timers,
    totals,
    inviteCounts: tally.serverInvite,
    nonInviteCounts: tally.serverNonInvite,
    removeServer: (tx) => {
      if (servers.get(tx.key) === tx) servers.delete(tx.key);
    },
    awaitAck: (tx, key) => void awaitingAck.set(key, tx),
    forgetAck: (key) => void awaitingAck.delete(key),
    ackTimeout: (tx) => {
      totals.timeouts++;
      onAckTimeout?.(tx);
    },
  };
  const clientHost: ClientHost = {
    clock,
    send,
    timers,
    totals,
    inviteCounts: tally.clientInvite,
    nonInviteCounts: tally.clientNonInvite,
    removeClient: (tx) => {
      if (clients.get(tx.key) === tx) clients.delete(tx.key);
    },
  };

  function receiveRequest(request: SipRequest, from: Remote): void {
    if (request.method === "ACK") return receiveAck(request, from);
    const key = serverKey(request, request.method);
    if (key === null) {
      totals.dropped++;
      return;
    }
    const existing = servers.get(key);
    if (existing !== undefined) return existing.receiveRetransmission();
    const tx = new ServerTx(serverHost, key, request, from);
    servers.set(key, tx);
    onRequest(request, tx, from);
  }

  /** RFC 3261 §17.2.3: the INVITE transaction an ACK belongs to, if it is still held. */
  function findAckedInvite(ack: SipRequest): ServerTx | undefined {
    const key = serverKey(ack, "INVITE");
    if (key === null) return undefined;
    if (!isLegacyKey(key)) return servers.get(key);
    // RFC 2543: the ACK's To tag is the response's; the INVITE had it too (re-INVITE) or had none
    const toTag = getTo(ack)?.tag ?? null;
    const tx = servers.get(key) ?? servers.get(serverKey(ack, "INVITE", null) ?? "");
    return tx !== undefined && tx.finalToTag === toTag ? tx : undefined;
  }

  function receiveAck(ack: SipRequest, from: Remote): void {
    const tx = findAckedInvite(ack);
    if (tx !== undefined) {
      if (!tx.receiveAck()) return;
    } else {
      const key = ackMatchKey(ack);
      const waiting = key === null ? undefined : awaitingAck.get(key);
      if (waiting !== undefined) waiting.ackReceived();
    }
    if (onAck !== undefined) onAck(ack, from);
    else totals.dropped++;
  }

  function receiveResponse(response: SipResponse, from: Remote): void {
    const via = getTopVia(response);
    const cseq = getCSeq(response);
    const tx = via?.branch != null && cseq !== undefined ? clients.get(clientKey(via.branch, cseq.method)) : undefined;
    if (tx !== undefined) return tx.receive(response);
    totals.strayResponses++;
    onStrayResponse?.(response, from);
  }

  return {
    receive(message, from) {
      if (message.kind === "request") receiveRequest(message, from);
      else receiveResponse(message, from);
    },

    sendRequest(request, to, handlers) {
      if (request.method === "ACK") throw new TypeError("ACK is not a client transaction (RFC 3261 §17.1.1.3)");
      const cseq = getCSeq(request);
      if (cseq === undefined) throw new TypeError(`${request.method} to send has no valid CSeq`);
      const branched = withBranch(request);
      const key = clientKey(branched.branch, cseq.method);
      if (clients.has(key))
        throw new Error(`a ${cseq.method} client transaction with branch ${branched.branch} is already running`);
      const tx = new ClientTx(clientHost, key, branched.request, branched.branch, to, handlers);
      clients.set(key, tx);
      tx.start();
      return tx;
    },

    findInviteServerTransaction(cancel) {
      const key = serverKey(cancel, "INVITE");
      const tx = key === null ? undefined : servers.get(key);
      return tx?.isInvite ? tx : undefined;
    },

    sendStateless(message, to) {
      send(serializeMessage(message), to);
    },

    reportTransportError(to) {
      const failed: ClientTx[] = [];
      for (const tx of clients.values()) if (sameDestination(tx.remote, to)) failed.push(tx);
      for (const tx of failed) tx.transportError();
    },

    stats: () => snapshotStats(tally),

    stop() {
      for (const tx of [...servers.values()]) tx.abandon();
      for (const tx of [...clients.values()]) tx.abandon();
      awaitingAck.clear();
    },
  };
}

function sameDestination(a: Remote, b: Remote): boolean {
  if (a.transport !== b.transport) return false;
  if (a.connectionId !== undefined && b.connectionId !== undefined) return a.connectionId === b.connectionId;
  return a.address === b.address && a.port === b.port;
}
