import { describe, expect, it } from "vitest";
import { getCSeq } from "@/lib/engine/sip/accessors";
import { getHeader } from "@/lib/engine/sip/header-access";
import type { SipRequest, SipResponse } from "@/lib/engine/sip/message";
import { parseCredentials } from "@/lib/engine/auth/credentials";
import { computeHa1, computeHa2, computeResponse } from "@/lib/engine/auth/digest";
import { routingGateway } from "@/lib/engine/routing/test-gateways";

import {
  A,
  B,
  CALLER,
  SDP,
  callerInvite,
  inDialog,
  parse,
  setup,
  toTagOf,
} from "@/lib/engine/routing/b2bua-test-harness";

describe("B2BUA: a call through one carrier", () => {
  it("sends an INVITE of its own, relays 180 and 200 with one To tag, passes the ACK on, and ends both legs on the carrier's BYE", () => {
    const t = setup([routingGateway("a", { fromUser: null })]);
    t.layer.receive(callerInvite(), CALLER);
    const out = t.last(A, "INVITE");
    expect(out.uri).toBe("sip:0044123@203.0.113.5:5060");
    expect(getHeader(out, "call-id")).not.toBe("inbound-1@192.0.2.10");
    expect(getHeader(out, "via")).toMatch(/^SIP\/2\.0\/UDP 198\.51\.100\.1:5060;branch=z9hG4bK/);
    expect(getHeader(out, "max-forwards")).toBe("69");
    expect(getHeader(out, "from")).toMatch(/^"Alice" <sip:1000@203\.0\.113\.5>;tag=/);
    expect(getHeader(out, "contact")).toBe("<sip:1000@198.51.100.1:5060>");
    expect(getHeader(out, "proxy-authorization")).toBeUndefined();
    expect(getHeader(out, "x-internal")).toBeUndefined();
    expect(getHeader(out, "content-type")).toBe("application/sdp");
    expect(out.body.toString()).toBe(SDP);
    expect(t.b2bua.liveCalls()).toMatchObject([
      { state: "trying", mappingGatewayId: "m1", routingGatewayId: "a", callee: "0044123", caller: "1000" },
    ]);

    t.answer(A, "INVITE", 100, "Trying");
    t.answer(A, "INVITE", 180, "Ringing");
    t.answer(A, "INVITE", 200, "OK", ["Contact: <sip:carrier@203.0.113.5:5060>"], "v=0\r\n");
    const [ringing, ok] = t.to(CALLER) as SipResponse[];
    expect([ringing.status, ok.status]).toEqual([180, 200]);
    expect(toTagOf(ringing)).toBe(toTagOf(ok));
    expect(getHeader(ok, "call-id")).toBe("inbound-1@192.0.2.10");
    expect(getHeader(ok, "contact")).toBe("<sip:198.51.100.1:5060>");
    expect(ok.body.toString()).toBe("v=0\r\n");
    expect(t.counters.snapshot()).toMatchObject({ calls_started_total: 1, calls_answered_total: 1 });

    t.layer.receive(inDialog("ACK", { toTag: toTagOf(ok)!, cseq: 10, branch: "z9hG4bKack1" }), CALLER);
    const ack = t.last(A, "ACK");
    expect(ack.uri).toBe("sip:carrier@203.0.113.5:5060");
    expect(getHeader(ack, "call-id")).toBe(getHeader(out, "call-id"));
    expect(getCSeq(ack)).toEqual({ number: 1, method: "ACK" });
    // a retransmitted 2xx gets our ACK again (RFC 3261 §13.2.2.4)
    t.answer(A, "INVITE", 200, "OK", ["Contact: <sip:carrier@203.0.113.5:5060>"]);
    expect(t.lines(A).filter((l) => l === "ACK")).toHaveLength(2);

    // the carrier hangs up: its BYE (From its tag, To ours) is answered and sent on to the caller
    const bye = parse(
      [
        "BYE sip:1000@198.51.100.1:5060 SIP/2.0",
        "Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bKcbye",
        "Max-Forwards: 70",
        "From: <sip:0044123@203.0.113.5>;tag=carrier1",
        `To: ${getHeader(out, "from")}`,
        `Call-ID: ${getHeader(out, "call-id")}`,
        "CSeq: 1 BYE",
        "Content-Length: 0",
        "",
        "",
      ].join("\r\n"),
    ) as SipRequest;
    t.layer.receive(bye, A);
    expect(t.lines(A).at(-1)).toBe("200");
    const callerBye = t.last(CALLER, "BYE");
    expect(callerBye.uri).toBe("sip:1000@192.0.2.10:5062");
    expect(getHeader(callerBye, "from")).toBe(`<sip:0044123@198.51.100.1>;tag=${toTagOf(ok)}`);
    expect(getHeader(callerBye, "to")).toBe('"Alice" <sip:1000@192.0.2.10>;tag=alice1');
    expect(t.b2bua.liveCalls()).toEqual([]);
  });

  it("a BYE from the caller is answered and sent on to the carrier", () => {
    const t = setup([routingGateway("a")]);
    t.layer.receive(callerInvite(), CALLER);
    t.answer(A, "INVITE", 200, "OK", ["Contact: <sip:carrier@203.0.113.5:5060>"]);
    const ok = t.to(CALLER)[0];
    t.layer.receive(inDialog("ACK", { toTag: toTagOf(ok)!, cseq: 10, branch: "z9hG4bKack1" }), CALLER);
    t.layer.receive(inDialog("BYE", { toTag: toTagOf(ok)!, cseq: 11, branch: "z9hG4bKbye1" }), CALLER);
    expect(t.lines(CALLER).at(-1)).toBe("200");
    expect(getCSeq(t.last(A, "BYE"))).toEqual({ number: 2, method: "BYE" });
    expect(t.b2bua.liveCalls()).toEqual([]);
  });
});

/** The digest response the carrier expects from `credentials` for `password`. */
function digestValid(credentials: string, password: string): boolean {
  const c = parseCredentials(credentials);
  if (!c.ok) return false;
  const { username, realm, nonce, uri, response, qop, nc, cnonce } = c.credentials;
  const ha1 = computeHa1("MD5", username, realm, password);
  return (
    computeResponse({
      algorithm: "MD5",
      ha1,
      nonce,
      ha2: computeHa2("MD5", "INVITE", uri, qop as "auth", ""),
      qop: qop as "auth",
      nc: nc!,
      cnonce: cnonce!,
    }) === response
  );
}

describe("B2BUA: carriers that challenge us", () => {
  const creds = { authUsername: "acct", password: "carrier-pw" };
  const challenge = (realm: string, stale = false) =>
    `Proxy-Authenticate: Digest realm="${realm}", nonce="n${Math.random()}", qop="auth", algorithm=MD5${stale ? ", stale=true" : ""}`;

  it("answers a 407 once with Proxy-Authorization, CSeq one higher, same Call-ID, and connects", () => {
    const t = setup([routingGateway("a", creds)]);
    t.layer.receive(callerInvite(), CALLER);
    const first = t.last(A, "INVITE");
    t.answer(A, "INVITE", 407, "Proxy Authentication Required", [challenge("carrier.example")]);
    const second = t.last(A, "INVITE");
    expect(second).not.toBe(first);
    expect(getHeader(second, "call-id")).toBe(getHeader(first, "call-id"));
    expect(getHeader(second, "from")).toBe(getHeader(first, "from"));
    expect(getCSeq(second)).toEqual({ number: 2, method: "INVITE" });
    expect(getHeader(second, "authorization")).toBeUndefined();
    expect(digestValid(getHeader(second, "proxy-authorization")!, "carrier-pw")).toBe(true);
    t.answer(A, "INVITE", 200, "OK");
    expect((t.to(CALLER).at(-1) as SipResponse).status).toBe(200);
  });

  it("answers a 401 with Authorization", () => {
    const t = setup([routingGateway("a", creds)]);
    t.layer.receive(callerInvite(), CALLER);
    t.answer(A, "INVITE", 401, "Unauthorized", [
      challenge("carrier.example").replace("Proxy-Authenticate", "WWW-Authenticate"),
    ]);
    expect(getHeader(t.last(A, "INVITE"), "authorization")).toMatch(/^Digest username="acct", realm="carrier.example"/);
    expect(getHeader(t.last(A, "INVITE"), "proxy-authorization")).toBeUndefined();
  });

  it("a second challenge for the same realm fails the call (no loop) and counts an authentication failure", () => {
    const t = setup([routingGateway("a", creds)]);
    t.layer.receive(callerInvite(), CALLER);
    t.answer(A, "INVITE", 407, "Proxy Authentication Required", [challenge("carrier.example")]);
    t.answer(A, "INVITE", 407, "Proxy Authentication Required", [challenge("carrier.example")]);
    expect(t.lines(A).filter((l) => l === "INVITE")).toHaveLength(2);
    expect(t.to(CALLER).map((m) => (m as SipResponse).status)).toEqual([503]);
    expect(t.counters.snapshot()).toMatchObject({
      carrier_auth_failures_total: 1,
      'calls_failed_total{code="503"}': 1,
    });
    expect(t.b2bua.liveCalls()).toEqual([]);
  });

  it("a stale=true second challenge is answered again", () => {
    const t = setup([routingGateway("a", creds)]);
    t.layer.receive(callerInvite(), CALLER);
    t.answer(A, "INVITE", 407, "Proxy Authentication Required", [challenge("carrier.example")]);
    t.answer(A, "INVITE", 407, "Proxy Authentication Required", [challenge("carrier.example", true)]);
    expect(getCSeq(t.last(A, "INVITE"))).toEqual({ number: 3, method: "INVITE" });
  });

  it("a realm other than the configured one gets no credentials", () => {
    const t = setup([routingGateway("a", { ...creds, authRealm: "carrier.example" })]);
    t.layer.receive(callerInvite(), CALLER);
    t.answer(A, "INVITE", 407, "Proxy Authentication Required", [challenge("evil.example")]);
    expect(t.lines(A).filter((l) => l === "INVITE")).toHaveLength(1);
    expect(t.counters.snapshot().carrier_auth_failures_total).toBe(1);
  });
});

describe("B2BUA: failover and cancel", () => {
  it("fails over on a failover code (503) to the next carrier, and relays a final code that is not one", () => {
    const t = setup([
      routingGateway("a", { priority: 9 }),
      routingGateway("b", { address: B.address, port: B.port, failoverCodes: [503] }),
    ]);
    t.layer.receive(callerInvite(), CALLER);
    t.answer(A, "INVITE", 503, "Service Unavailable");
    expect(t.lines(A)).toEqual(["INVITE", "ACK"]);
    const toB = t.last(B, "INVITE");
    expect(toB.uri).toBe("sip:0044123@203.0.113.6:5070");
    t.answer(B, "INVITE", 486, "Busy Here");
    expect(t.to(CALLER).map((m) => (m as SipResponse).status)).toEqual([486]);
    expect(t.counters.snapshot()['calls_failed_total{code="486"}']).toBe(1);
  });

  it("stops at SS_GATEWAY_SWITCH_LIMIT and answers the last carrier's failure", () => {
    const t = setup([routingGateway("a", { priority: 9 }), routingGateway("b", { address: B.address, port: B.port })], {
      inviteTimeoutMs: 10_000,
      switchLimit: 1,
      sessionTtlMs: 600_000,
      minSessionExpires: 90,
      allowRefer: false,
    });
    t.layer.receive(callerInvite(), CALLER);
    t.answer(A, "INVITE", 503, "Service Unavailable");
    expect(t.lines(B)).toEqual([]);
    expect(t.to(CALLER).map((m) => (m as SipResponse).status)).toEqual([503]);
  });

  it("fails over when a carrier says nothing within SS_SIP_TIMEOUT_INVITE, and CANCELs it when it wakes up", () => {
    const t = setup([routingGateway("a", { priority: 9 }), routingGateway("b", { address: B.address, port: B.port })], {
      inviteTimeoutMs: 3000,
      switchLimit: 3,
      sessionTtlMs: 600_000,
      minSessionExpires: 90,
      allowRefer: false,
    });
    t.layer.receive(callerInvite(), CALLER);
    t.clock.advance(2999);
    expect(t.lines(B)).toEqual([]);
    t.clock.advance(1);
    expect(t.lines(B)).toEqual(["INVITE"]);
    // the first carrier's late 180: §9.1, now that it has answered, it is CANCELled
    t.answer(A, "INVITE", 180, "Ringing");
    expect(t.lines(A).filter((l) => l === "CANCEL")).toHaveLength(1);
    expect(t.to(CALLER).filter((m) => m.kind === "response" && m.status === 180)).toEqual([]);
    t.answer(B, "INVITE", 200, "OK");
    expect(t.to(CALLER).map((m) => (m as SipResponse).status)).toContain(200);
  });

  it("never fails over after a 2xx", () => {
    const t = setup([routingGateway("a", { priority: 9 }), routingGateway("b", { address: B.address, port: B.port })], {
      inviteTimeoutMs: 3000,
      switchLimit: 3,
      sessionTtlMs: 600_000,
      minSessionExpires: 90,
      allowRefer: false,
    });
    t.layer.receive(callerInvite(), CALLER);
    t.answer(A, "INVITE", 200, "OK");
    t.clock.advance(60_000);
    expect(t.lines(B)).toEqual([]);
  });

  it("a CANCEL from the caller before the answer CANCELs the carrier's leg and ends the caller's INVITE with 487", () => {
    const t = setup([routingGateway("a")]);
    const invite = callerInvite();
    t.layer.receive(invite, CALLER);
    t.answer(A, "INVITE", 180, "Ringing");
    const cancel = parse(
      [
        "CANCEL sip:0044123@198.51.100.1 SIP/2.0",
        "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKcaller1",
        "Max-Forwards: 70",
        'From: "Alice" <sip:1000@192.0.2.10>;tag=alice1',
        "To: <sip:0044123@198.51.100.1>",
        "Call-ID: inbound-1@192.0.2.10",
        "CSeq: 10 CANCEL",
        "Content-Length: 0",
        "",
        "",
      ].join("\r\n"),
    );
    t.layer.receive(cancel, CALLER);
    const carrierCancel = t.last(A, "CANCEL");
    expect(getHeader(carrierCancel, "via")).toBe(getHeader(t.last(A, "INVITE"), "via"));
    expect(t.to(CALLER).map((m) => (m as SipResponse).status)).toEqual([180, 200, 487]);
    expect(t.counters.snapshot()['calls_failed_total{code="487"}']).toBe(1);
    expect(t.b2bua.liveCalls()).toEqual([]);
    // the carrier's 487 is ACKed by its transaction; nothing more reaches the caller
    t.answer(A, "INVITE", 487, "Request Terminated");
    expect(t.to(CALLER)).toHaveLength(3);
  });

  it("capacity: the carrier's and the mapping gateway's live calls are counted while the call lives", () => {
    const t = setup([routingGateway("a", { capacity: 1 })]);
    t.layer.receive(callerInvite(), CALLER);
    expect(t.b2bua.registry.count("a")).toBe(1);
    expect(t.b2bua.registry.count("m1")).toBe(1);
    t.answer(A, "INVITE", 486, "Busy Here");
    expect(t.b2bua.registry.count("a")).toBe(0);
    expect(t.b2bua.registry.count("m1")).toBe(0);
  });
});
