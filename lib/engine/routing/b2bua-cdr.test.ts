import { describe, expect, it } from "vitest";
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
import { mappingGateway, routingGateway } from "@/lib/engine/routing/test-gateways";
import type { CdrDraft } from "@/lib/engine/cdr/cdr-journal";

// The call record each call attempt leaves (issue 9), over a real transaction layer and a FakeClock.

const CALLER: Remote = { transport: "udp", address: "192.0.2.10", port: 5062 };
const A: Remote = { transport: "udp", address: "203.0.113.5", port: 5060 };

function parse(text: string | Buffer): SipMessage {
  const parsed = parseDatagram(typeof text === "string" ? Buffer.from(text) : text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.message;
}

function request(method: string, extra: string[] = [], toTag = ""): SipRequest {
  const cseq = method === "INVITE" || method === "CANCEL" ? 10 : 11;
  return parse(
    [
      `${method} sip:0044123@198.51.100.1 SIP/2.0`,
      `Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK${method === "CANCEL" ? "INVITE" : method}1`,
      "Max-Forwards: 70",
      "From: <sip:1000@192.0.2.10>;tag=alice1",
      `To: <sip:0044123@198.51.100.1>${toTag ? `;tag=${toTag}` : ""}`,
      "Call-ID: inbound-1@192.0.2.10",
      `CSeq: ${cseq} ${method}`,
      "Contact: <sip:1000@192.0.2.10:5062>",
      ...extra,
      "Content-Length: 0",
      "",
      "",
    ].join("\r\n"),
  ) as SipRequest;
}

function setup(routing: SnapshotRoutingGateway[]) {
  const clock = new FakeClock();
  const sent: Array<{ message: SipMessage; to: Remote }> = [];
  const records: CdrDraft[] = [];
  const opened: CdrDraft[] = [];
  const layer = createTransactionLayer({
    clock,
    send: (bytes, to) => sent.push({ message: parse(bytes), to }),
    onRequest: (req, tx, from) => {
      if (b2bua.handleInDialog(req, tx)) return;
      if (req.method === "CANCEL") {
        tx.respond(buildResponse(req, 200, "OK"));
        return void b2bua.handleCancel(layer.findInviteServerTransaction(req)!);
      }
      const settings = {
        inviteTimeoutMs: 10_000,
        switchLimit: 3,
        sessionTtlMs: 600_000,
        minSessionExpires: 90,
        allowRefer: false,
      };
      b2bua.handleInvite(req, tx as InviteServerTransaction, from, {
        mapping: mappingGateway({ callerRewrite: { strip: 0, prefix: "44" } }),
        routing,
        settings,
        configVersion: 7,
      });
    },
    onAck: (ack) => void b2bua.handleAck(ack),
  });
  const b2bua: B2bua = new B2bua({
    clock,
    counters: new Counters(),
    transactions: layer,
    local: () => ({ host: "198.51.100.1", port: 5060 }),
    cdrs: { open: (d) => opened.push(d), write: (d) => records.push(d) },
  });
  const last = (method: string) =>
    sent
      .filter((s) => s.to.address === A.address && s.message.kind === "request" && s.message.method === method)
      .at(-1)!.message as SipRequest;
  const answer = (status: number, reason: string, extra: string[] = []) => {
    const req = last("INVITE");
    const copy = req.headers
      .filter((h) => ["via", "from", "call-id", "cseq"].includes(h.key))
      .map((h) => `${h.name}: ${h.value}`);
    layer.receive(
      parse(
        [
          `SIP/2.0 ${status} ${reason}`,
          ...copy,
          `To: ${getHeader(req, "to")};tag=carrier1`,
          "Contact: <sip:c@203.0.113.5:5060>",
          ...extra,
          "Content-Length: 0",
          "",
          "",
        ].join("\r\n"),
      ),
      A,
    );
  };
  const toCaller = () => sent.filter((s) => s.to.address === CALLER.address).map((s) => s.message);
  const ourTag = () =>
    /;tag=([^;]+)/.exec(
      getHeader(
        toCaller().find((m) => m.kind === "response" && m.status === 200)!,
        "to",
      )!,
    )![1];
  return { clock, layer, b2bua, records, opened, answer, last, ourTag };
}

const base = {
  callerReceived: "1000",
  calleeReceived: "0044123",
  mappingGatewayId: "m1",
  mappingGatewayName: "pbx",
  routingGatewayId: "a",
  routingGatewayName: "a",
  sourceAddress: "192.0.2.10:5062",
  configVersion: 7,
  callId: "inbound-1@192.0.2.10",
  illegal: false,
};

describe("call records from the B2BUA", () => {
  it("a connected call: numbers as received and as sent, times, hold seconds, 200, ended by the caller's BYE", () => {
    const t = setup([routingGateway("a")]);
    const started = t.clock.now();
    t.layer.receive(request("INVITE"), CALLER);
    expect(t.opened).toHaveLength(1); // in flight: in the open-calls file until it ends
    t.clock.advance(3_000);
    t.answer(200, "OK");
    t.layer.receive(request("ACK", [], t.ourTag()), CALLER);
    t.clock.advance(65_400);
    t.layer.receive(request("BYE", [], t.ourTag()), CALLER);
    expect(t.records).toHaveLength(1);
    expect(t.records[0]).toEqual({
      ...base,
      id: expect.any(String),
      callerSent: "441000",
      calleeSent: "0044123",
      startedAt: started,
      answeredAt: started + 3_000,
      endedAt: started + 68_400,
      holdSeconds: 65,
      finalCode: 200,
      finalReason: "OK",
      endedBy: "caller",
      challengesAnswered: 0,
      attempts: [{ routingGatewayId: "a", routingGatewayName: "a", code: 200, reason: "OK", failedOver: false }],
    });
    expect(t.opened.at(-1)).toMatchObject({ id: t.records[0].id, answeredAt: started + 3_000 });
  });

  it("a busy call: the carrier's 486 is the final code, ended by the callee, never answered", () => {
    const t = setup([routingGateway("a")]);
    t.layer.receive(request("INVITE"), CALLER);
    t.clock.advance(1_000);
    t.answer(486, "Busy Here");
    expect(t.records).toEqual([
      expect.objectContaining({
        ...base,
        finalCode: 486,
        finalReason: "Busy Here",
        endedBy: "callee",
        answeredAt: null,
        holdSeconds: 0,
        calleeSent: "0044123",
      }),
    ]);
  });

  it("the carrier refuses our credentials: 503 Carrier Authentication Failed, one challenge answered, ended by the callee", () => {
    const t = setup([routingGateway("a", { authUsername: "acct", password: "wrong" })]);
    t.layer.receive(request("INVITE"), CALLER);
    const challenge = 'Proxy-Authenticate: Digest realm="carrier", nonce="n1", qop="auth", algorithm=MD5';
    t.answer(407, "Proxy Authentication Required", [challenge]);
    t.answer(407, "Proxy Authentication Required", [challenge.replace("n1", "n2")]);
    expect(t.records).toEqual([
      expect.objectContaining({
        ...base,
        finalCode: 503,
        finalReason: "Carrier Authentication Failed",
        endedBy: "callee",
        challengesAnswered: 1,
      }),
    ]);
  });

  it("a call the caller CANCELs while it rings: 487, ended by the caller", () => {
    const t = setup([routingGateway("a")]);
    t.layer.receive(request("INVITE"), CALLER);
    t.answer(180, "Ringing");
    t.clock.advance(4_000);
    t.layer.receive(request("CANCEL"), CALLER);
    expect(t.records).toEqual([
      expect.objectContaining({
        ...base,
        finalCode: 487,
        finalReason: "Request Terminated",
        endedBy: "caller",
        answeredAt: null,
      }),
    ]);
  });

  it("hung up by the operator: BYE on both legs, ended by the server", () => {
    const t = setup([routingGateway("a")]);
    t.layer.receive(request("INVITE"), CALLER);
    t.answer(200, "OK");
    t.layer.receive(request("ACK", [], t.ourTag()), CALLER);
    const [live] = t.b2bua.liveCalls();
    expect(t.b2bua.hangUpById("nope")).toBe(false);
    expect(t.b2bua.hangUpById(live.id)).toBe(true);
    expect(t.last("BYE")).toBeDefined();
    expect(t.records).toEqual([
      expect.objectContaining({ id: live.id, finalCode: 200, finalReason: "hung up by operator", endedBy: "server" }),
    ]);
    expect(t.b2bua.liveCalls()).toEqual([]);
  });

  it("hung up by the operator while it rings: CANCEL to the carrier, 487 to the caller, ended by the server", () => {
    const t = setup([routingGateway("a")]);
    t.layer.receive(request("INVITE"), CALLER);
    t.answer(180, "Ringing");
    const [live] = t.b2bua.liveCalls();
    expect(t.b2bua.hangUpById(live.id)).toBe(true);
    expect(t.last("CANCEL")).toBeDefined();
    expect(t.records).toEqual([
      expect.objectContaining({
        finalCode: 487,
        finalReason: "hung up by operator",
        endedBy: "server",
        answeredAt: null,
      }),
    ]);
  });

  it("a silent answered call past SS_SIP_SESSION_TTL: ended by the server", () => {
    const t = setup([routingGateway("a")]);
    t.layer.receive(request("INVITE"), CALLER);
    t.answer(200, "OK");
    t.layer.receive(request("ACK", [], t.ourTag()), CALLER);
    t.clock.advance(600_000);
    expect(t.records).toEqual([
      expect.objectContaining({
        finalCode: 200,
        finalReason: "session timer expired",
        endedBy: "server",
        holdSeconds: 600,
      }),
    ]);
  });

  it("no route: a record with the refusal, no carrier, ended by the server", () => {
    const t = setup([routingGateway("a", { prefixes: ["9"] })]);
    t.layer.receive(request("INVITE"), CALLER);
    expect(t.records).toEqual([
      expect.objectContaining({
        routingGatewayId: null,
        callerSent: null,
        calleeSent: null,
        endedBy: "server",
        illegal: false,
        configVersion: 7,
      }),
    ]);
    expect(t.records[0].finalCode).toBeGreaterThanOrEqual(400);
  });
});
