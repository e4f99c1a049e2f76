import type { SnapshotRoutingGateway } from "@/lib/domain/config-snapshot";
import { FakeClock } from "@/lib/engine/clock";
import { Counters } from "@/lib/engine/metrics";
import { getHeader } from "@/lib/engine/sip/header-access";
import type { SipMessage, SipRequest } from "@/lib/engine/sip/message";
import { parseDatagram } from "@/lib/engine/sip/parser";
import { buildResponse } from "@/lib/engine/sip/response";
import { createTransactionLayer } from "@/lib/engine/transaction/transaction-layer";
import type { InviteServerTransaction } from "@/lib/engine/transaction/server-transaction";
import type { Remote } from "@/lib/engine/transport/remote";
import { B2bua } from "@/lib/engine/routing/b2bua";
import type { CallSettings } from "@/lib/engine/routing/call-registry";
import { mappingGateway } from "@/lib/engine/routing/test-gateways";
import type { CdrDraft } from "@/lib/engine/cdr/cdr-journal";

// The B2BUA over a real transaction layer, a FakeClock and a fake transport that records each
// message sent (parsed back) and where it went.

export const CALLER: Remote = { transport: "udp", address: "192.0.2.10", port: 5062 };
export const A: Remote = { transport: "udp", address: "203.0.113.5", port: 5060 };
export const B: Remote = { transport: "udp", address: "203.0.113.6", port: 5070 };
export const SDP =
  "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";

export function parse(text: string | Buffer): SipMessage {
  const parsed = parseDatagram(typeof text === "string" ? Buffer.from(text) : text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.message;
}

export const DEFAULT_SETTINGS: CallSettings = {
  inviteTimeoutMs: 10_000,
  switchLimit: 3,
  sessionTtlMs: 600_000,
  minSessionExpires: 90,
  allowRefer: false,
};

export function setup(routing: SnapshotRoutingGateway[], over: Partial<CallSettings> = {}) {
  const settings = { ...DEFAULT_SETTINGS, ...over };
  const records: CdrDraft[] = [];
  const clock = new FakeClock();
  const sent: Array<{ message: SipMessage; to: Remote }> = [];
  const counters = new Counters();
  const invites: InviteServerTransaction[] = [];
  const layer = createTransactionLayer({
    clock,
    send: (bytes, to) => sent.push({ message: parse(bytes), to }),
    onRequest: (request, tx, from) => {
      if (b2bua.handleInDialog(request, tx)) return;
      if (request.method === "CANCEL") {
        // as engine.ts does: 200 to the CANCEL, then the B2BUA ends the INVITE (RFC 3261 §9.2)
        tx.respond(buildResponse(request, 200, "OK"));
        return void b2bua.handleCancel(layer.findInviteServerTransaction(request)!);
      }
      invites.push(tx as InviteServerTransaction);
      b2bua.handleInvite(request, tx as InviteServerTransaction, from, {
        mapping: mappingGateway(),
        routing,
        settings,
      });
    },
    onAck: (ack) => void b2bua.handleAck(ack),
    onStrayResponse: (response) => void b2bua.handleStray(response),
  });
  const b2bua: B2bua = new B2bua({
    clock,
    counters,
    transactions: layer,
    local: () => ({ host: "198.51.100.1", port: 5060 }),
    cdrs: { open: () => undefined, write: (draft) => void records.push(draft) },
  });
  const to = (remote: Remote) =>
    sent.filter((s) => s.to.address === remote.address && s.to.port === remote.port).map((s) => s.message);
  const lines = (remote: Remote) => to(remote).map((m) => (m.kind === "request" ? m.method : `${m.status}`));
  const last = (remote: Remote, method: string) =>
    to(remote)
      .filter((m): m is SipRequest => m.kind === "request" && m.method === method)
      .at(-1)!;
  /** `remote`'s response to `req` (a carrier's To tag is carrier1). */
  const answerTo = (
    remote: Remote,
    req: SipRequest,
    status: number,
    reason: string,
    extra: string[] = [],
    body = "",
  ) => {
    const copy = req.headers
      .filter((h) => ["via", "from", "call-id", "cseq"].includes(h.key))
      .map((h) => `${h.name}: ${h.value}`);
    const toValue = getHeader(req, "to")!;
    const lines = [
      `SIP/2.0 ${status} ${reason}`,
      ...copy,
      `To: ${toValue}${status > 100 && !toValue.includes("tag=") ? ";tag=carrier1" : ""}`,
      ...extra,
    ];
    if (body) lines.push("Content-Type: application/sdp");
    layer.receive(parse(`${lines.join("\r\n")}\r\nContent-Length: ${body.length}\r\n\r\n${body}`), remote);
  };
  /** The carrier's response to the last `method` it got. */
  const answer = (remote: Remote, method: string, status: number, reason: string, extra: string[] = [], body = "") =>
    answerTo(remote, last(remote, method), status, reason, extra, body);
  /**
   * A request from `remote` inside the dialog of the last INVITE we sent it (the carrier's) or got
   * from it (the caller's, `asCaller`): the peer's From with its tag, our tag in To.
   */
  const peerRequestFrom = (
    remote: Remote,
    invite: SipRequest | null,
    method: string,
    cseq: number,
    o: { extra?: string[]; body?: string; type?: string } = {},
  ) => {
    const isCaller = remote === CALLER;
    const ok = to(CALLER).find((m) => m.kind === "response" && m.status === 200);
    const okTag = ok ? toTagOf(ok) : undefined;
    const lines = [
      `${method} sip:${isCaller ? "0044123" : "1000"}@198.51.100.1:5060 SIP/2.0`,
      `Via: SIP/2.0/UDP ${remote.address}:${remote.port};branch=z9hG4bK${method}${cseq}${remote.port}`,
      "Max-Forwards: 70",
      isCaller ? 'From: "Alice" <sip:1000@192.0.2.10>;tag=alice1' : "From: <sip:0044123@203.0.113.5>;tag=carrier1",
      isCaller ? `To: <sip:0044123@198.51.100.1>;tag=${okTag}` : `To: ${getHeader(invite!, "from")}`,
      `Call-ID: ${isCaller ? "inbound-1@192.0.2.10" : getHeader(invite!, "call-id")}`,
      `CSeq: ${cseq} ${method}`,
      ...(o.extra ?? []),
    ];
    if (o.body) lines.push(`Content-Type: ${o.type ?? "application/sdp"}`);
    const body = o.body ?? "";
    layer.receive(parse(`${lines.join("\r\n")}\r\nContent-Length: ${body.length}\r\n\r\n${body}`), remote);
  };
  const peerRequest = (
    remote: Remote,
    method: string,
    cseq: number,
    o: { extra?: string[]; body?: string; type?: string } = {},
  ) => peerRequestFrom(remote, remote === CALLER ? null : last(remote, "INVITE"), method, cseq, o);
  /** The last message `remote` got: a response's status or a request's method. */
  const lastLine = (remote: Remote) => lines(remote).at(-1);
  return {
    clock,
    sent,
    counters,
    layer,
    b2bua,
    to,
    lines,
    lastLine,
    last,
    answer,
    answerTo,
    invites,
    records,
    peerRequest,
    peerRequestFrom,
  };
}

export function callerInvite(extra: string[] = []): SipRequest {
  return parse(
    [
      "INVITE sip:0044123@198.51.100.1 SIP/2.0",
      "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKcaller1",
      "Max-Forwards: 70",
      'From: "Alice" <sip:1000@192.0.2.10>;tag=alice1',
      "To: <sip:0044123@198.51.100.1>",
      "Call-ID: inbound-1@192.0.2.10",
      "CSeq: 10 INVITE",
      "Contact: <sip:1000@192.0.2.10:5062>",
      'Proxy-Authorization: Digest username="pbx", realm="x", nonce="n", uri="sip:x", response="00"',
      "X-Internal: secret",
      "Content-Type: application/sdp",
      ...extra,
      `Content-Length: ${SDP.length}`,
      "",
      SDP,
    ].join("\r\n"),
  ) as SipRequest;
}

export function inDialog(method: string, over: { toTag: string; cseq: number; branch: string }): SipRequest {
  return parse(
    [
      `${method} sip:198.51.100.1:5060 SIP/2.0`,
      `Via: SIP/2.0/UDP 192.0.2.10:5062;branch=${over.branch}`,
      "Max-Forwards: 70",
      'From: "Alice" <sip:1000@192.0.2.10>;tag=alice1',
      `To: <sip:0044123@198.51.100.1>;tag=${over.toTag}`,
      "Call-ID: inbound-1@192.0.2.10",
      `CSeq: ${over.cseq} ${method}`,
      "Content-Length: 0",
      "",
      "",
    ].join("\r\n"),
  ) as SipRequest;
}

export const toTagOf = (m: SipMessage) => /;tag=([^;]+)/.exec(getHeader(m, "to") ?? "")?.[1];
