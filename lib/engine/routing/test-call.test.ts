import { describe, expect, it } from "vitest";
import type { TestCallResult } from "@/lib/domain/cdr";
import { FakeClock } from "@/lib/engine/clock";
import { getHeader } from "@/lib/engine/sip/header-access";
import type { SipMessage, SipRequest } from "@/lib/engine/sip/message";
import { parseDatagram } from "@/lib/engine/sip/parser";
import { TraceRing } from "@/lib/engine/trace/trace-ring";
import { wireMetaOf } from "@/lib/engine/trace/wire-meta";
import { createTransactionLayer } from "@/lib/engine/transaction/transaction-layer";
import type { Remote } from "@/lib/engine/transport/remote";
import { runTestCall } from "@/lib/engine/routing/test-call";
import { routingGateway } from "@/lib/engine/routing/test-gateways";

// The Test button's call (issue 9) against a scripted carrier, with a FakeClock.

const CARRIER: Remote = { transport: "udp", address: "203.0.113.5", port: 5060 };

function parse(bytes: Buffer | string): SipMessage {
  const parsed = parseDatagram(typeof bytes === "string" ? Buffer.from(bytes) : bytes);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.message;
}

function setup(over: Parameters<typeof routingGateway>[1] = {}) {
  const clock = new FakeClock();
  const trace = new TraceRing(100);
  const sent: SipRequest[] = [];
  const layer = createTransactionLayer({
    clock,
    send: (bytes, to) => {
      trace.capture("out", to, bytes, wireMetaOf(bytes), clock.now());
      const m = parse(bytes);
      if (m.kind === "request") sent.push(m);
    },
    onRequest: () => undefined,
  });
  let result: TestCallResult | null = null;
  const gateway = routingGateway("a", { authUsername: "acct", password: "pw", ...over });
  void runTestCall(
    { clock, transactions: layer, local: () => ({ host: "198.51.100.1", port: 5060 }), trace: (q) => trace.query(q) },
    gateway,
    null,
    "0044999",
  ).then((r) => (result = r));
  const last = (method: string) => sent.filter((r) => r.method === method).at(-1)!;
  const answer = (method: string, status: number, reason: string, extra: string[] = []) => {
    const req = last(method);
    const copy = req.headers
      .filter((h) => ["via", "from", "call-id", "cseq"].includes(h.key))
      .map((h) => `${h.name}: ${h.value}`);
    const text = [
      `SIP/2.0 ${status} ${reason}`,
      ...copy,
      `To: ${getHeader(req, "to")};tag=c1`,
      "Contact: <sip:c@203.0.113.5>",
      ...extra,
      "Content-Length: 0",
      "",
      "",
    ].join("\r\n");
    trace.capture("in", CARRIER, Buffer.from(text), wireMetaOf(Buffer.from(text)), clock.now());
    layer.receive(parse(text), CARRIER);
  };
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { clock, sent, answer, last, result: () => result, settle };
}

const challenge = 'Proxy-Authenticate: Digest realm="carrier", nonce="n1", qop="auth", algorithm=MD5';

describe("the Test button's call", () => {
  it("OPTIONS, then an INVITE from softswitch-test answered after a 407, then ACK and BYE at once", async () => {
    const t = setup();
    expect(t.sent.map((r) => r.method)).toEqual(["OPTIONS"]);
    t.answer("OPTIONS", 200, "OK");
    expect(getHeader(t.last("INVITE"), "from")).toMatch(/^<sip:softswitch-test@/);
    expect(t.last("INVITE").body.toString()).toMatch(/^v=0\r\n/);
    t.answer("INVITE", 407, "Proxy Authentication Required", [challenge]);
    expect(getHeader(t.last("INVITE"), "proxy-authorization")).toMatch(/^Digest username="acct", realm="carrier"/);
    t.answer("INVITE", 200, "OK");
    expect(t.sent.map((r) => r.method)).toEqual(["OPTIONS", "INVITE", "ACK", "INVITE", "ACK", "BYE"]);
    t.answer("BYE", 200, "OK");
    await t.settle();
    expect(t.result()).toMatchObject({
      ok: true,
      summary: "Answered after a 407 challenge",
      options: { code: 200 },
      invite: { code: 200, challenged: true },
    });
    expect(t.result()!.messages.map((m) => m.direction)).toEqual([
      "out",
      "in",
      "out",
      "in",
      "out",
      "out",
      "in",
      "out",
      "out",
      "in",
    ]);
    expect(t.result()!.messages.find((m) => /Proxy-Authorization/.test(m.text))!.text).toMatch(/response="\*\*\*"/);
  });

  it("a second 407: the carrier refused our credentials", async () => {
    const t = setup();
    t.answer("OPTIONS", 200, "OK");
    t.answer("INVITE", 407, "Proxy Authentication Required", [challenge]);
    t.answer("INVITE", 407, "Proxy Authentication Required", [challenge.replace("n1", "n2")]);
    await t.settle();
    expect(t.result()).toMatchObject({
      ok: false,
      summary: "Carrier refused our credentials (second 407)",
      invite: { code: 407, challenged: true },
    });
  });

  it("no answer to OPTIONS: no INVITE is sent", async () => {
    const t = setup();
    t.clock.advance(5_000);
    await t.settle();
    expect(t.result()).toMatchObject({ ok: false, summary: "No answer to OPTIONS", options: { code: null } });
    expect(t.sent.map((r) => r.method).filter((m) => m === "INVITE")).toEqual([]);
  });

  it("ringing for 10 s: CANCELled, and the carrier's 487 ends the test", async () => {
    const t = setup();
    t.answer("OPTIONS", 200, "OK");
    t.answer("INVITE", 180, "Ringing");
    t.clock.advance(9_999);
    expect(t.sent.map((r) => r.method)).not.toContain("CANCEL");
    t.clock.advance(1);
    expect(t.sent.map((r) => r.method)).toContain("CANCEL");
    t.answer("INVITE", 487, "Request Terminated");
    await t.settle();
    expect(t.result()).toMatchObject({
      ok: false,
      summary: "No answer within 10 s; cancelled (487)",
      invite: { code: 487 },
    });
  });

  it("a carrier that refuses the call: its code and reason", async () => {
    const t = setup();
    t.answer("OPTIONS", 404, "Not Found");
    t.answer("INVITE", 486, "Busy Here");
    await t.settle();
    expect(t.result()).toMatchObject({
      ok: false,
      summary: "Carrier refused the call: 486 Busy Here",
      options: { code: 404 },
      invite: { code: 486, challenged: false },
    });
  });
});
