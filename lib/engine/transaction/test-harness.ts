// Test support: a transaction layer on a FakeClock with a fake transport that records what was
// sent (parsed back) and where, and handwritten requests and responses.
import { FakeClock } from "@/lib/engine/clock";
import type { SipMessage, SipRequest, SipResponse } from "@/lib/engine/sip/message";
import { parseDatagram } from "@/lib/engine/sip/parser";
import type { InviteServerTransaction, ServerTransaction } from "@/lib/engine/transaction/server-transaction";
import type { TimerSettings } from "@/lib/engine/transaction/timers";
import { createTransactionLayer, type TransactionLayer } from "@/lib/engine/transaction/transaction-layer";
import type { Remote } from "@/lib/engine/transport/remote";

export const UDP_PEER: Remote = { transport: "udp", address: "192.0.2.10", port: 5062 };
export const TCP_PEER: Remote = { transport: "tcp", address: "192.0.2.20", port: 40312, connectionId: 7 };

export interface Sent {
  readonly message: SipMessage;
  readonly to: Remote;
  /** Milliseconds since the harness started. */
  readonly at: number;
}

export interface Received {
  readonly request: SipRequest;
  readonly tx: ServerTransaction;
  readonly from: Remote;
}

export interface Harness {
  readonly clock: FakeClock;
  readonly layer: TransactionLayer;
  readonly sent: Sent[];
  readonly requests: Received[];
  readonly acks: SipRequest[];
  readonly strays: SipResponse[];
  readonly ackTimeouts: InviteServerTransaction[];
  /** Milliseconds since the harness started. */
  elapsed(): number;
  /** The times (ms since start) at which messages whose start line begins with `prefix` were sent. */
  sentAt(prefix: string): number[];
}

export function parse(bytes: Buffer | string): SipMessage {
  const parsed = parseDatagram(typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes);
  if (!parsed.ok) throw new Error(`test message does not parse: ${parsed.reason}`);
  return parsed.message;
}

export function startLine(message: SipMessage): string {
  return message.kind === "request" ? `${message.method} ${message.uri}` : `${message.status} ${message.reason}`;
}

export function createHarness(timers: Partial<TimerSettings> = {}, onRequest?: (r: Received) => void): Harness {
  const clock = new FakeClock();
  const start = clock.now();
  const sent: Sent[] = [];
  const requests: Received[] = [];
  const acks: SipRequest[] = [];
  const strays: SipResponse[] = [];
  const ackTimeouts: InviteServerTransaction[] = [];
  const layer = createTransactionLayer({
    clock,
    timers,
    send: (bytes, to) => sent.push({ message: parse(bytes), to, at: clock.now() - start }),
    onRequest: (request, tx, from) => {
      requests.push({ request, tx, from });
      onRequest?.({ request, tx, from });
    },
    onAck: (ack) => acks.push(ack),
    onStrayResponse: (response) => strays.push(response),
    onAckTimeout: (tx) => ackTimeouts.push(tx),
  });
  return {
    clock,
    layer,
    sent,
    requests,
    acks,
    strays,
    ackTimeouts,
    elapsed: () => clock.now() - start,
    sentAt: (prefix) => sent.filter((s) => startLine(s.message).startsWith(prefix)).map((s) => s.at),
  };
}

export interface RequestSpec {
  readonly method?: string;
  readonly uri?: string;
  readonly transport?: "UDP" | "TCP";
  readonly sentBy?: string;
  /** null: no branch parameter at all (RFC 2543). */
  readonly branch?: string | null;
  readonly cseq?: number;
  /** Defaults to `method`. */
  readonly cseqMethod?: string;
  readonly callId?: string;
  readonly fromTag?: string | null;
  readonly toTag?: string | null;
}

export function request(spec: RequestSpec = {}): SipRequest {
  const method = spec.method ?? "INVITE";
  const branch = spec.branch === undefined ? "z9hG4bKabc123" : spec.branch;
  const fromTag = spec.fromTag === undefined ? "f1" : spec.fromTag;
  const toTag = spec.toTag ?? null;
  const lines = [
    `${method} ${spec.uri ?? "sip:bob@example.com"} SIP/2.0`,
    `Via: SIP/2.0/${spec.transport ?? "UDP"} ${spec.sentBy ?? "192.0.2.10:5062"}${branch === null ? "" : `;branch=${branch}`};rport`,
    "Max-Forwards: 70",
    `From: <sip:alice@example.com>${fromTag === null ? "" : `;tag=${fromTag}`}`,
    `To: <sip:bob@example.com>${toTag === null ? "" : `;tag=${toTag}`}`,
    `Call-ID: ${spec.callId ?? "call-1@example.com"}`,
    `CSeq: ${spec.cseq ?? 1} ${spec.cseqMethod ?? method}`,
    "Route: <sip:proxy.example.com;lr>",
    "Content-Length: 0",
    "",
    "",
  ];
  return parse(lines.join("\r\n")) as SipRequest;
}

/** A response to `req` as the far end of a client transaction would send it. */
export function responseTo(req: SipRequest, status: number, reason: string, toTag: string | null = "t9"): SipResponse {
  const copy = req.headers
    .filter((h) => ["via", "from", "call-id", "cseq"].includes(h.key))
    .map((h) => `${h.name}: ${h.value}`);
  const to = req.headers.find((h) => h.key === "to")?.value ?? "";
  const lines = [
    `SIP/2.0 ${status} ${reason}`,
    ...copy,
    `To: ${to}${toTag === null || to.includes(";tag=") ? "" : `;tag=${toTag}`}`,
    "Content-Length: 0",
    "",
    "",
  ];
  return parse(lines.join("\r\n")) as SipResponse;
}
