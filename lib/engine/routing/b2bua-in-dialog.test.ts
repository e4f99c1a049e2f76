import { describe, expect, it } from "vitest";
import { getCSeq } from "@/lib/engine/sip/accessors";
import { getHeader, getHeaderValues } from "@/lib/engine/sip/header-access";
import type { SipRequest, SipResponse } from "@/lib/engine/sip/message";
import type { CallSettings } from "@/lib/engine/routing/call-registry";
import { A, B, CALLER, callerInvite, inDialog, parse, setup, toTagOf } from "@/lib/engine/routing/b2bua-test-harness";
import { routingGateway } from "@/lib/engine/routing/test-gateways";

// Issue 17: requests inside an answered call relayed end to end, session timers, route sets and
// remote targets per leg, forked answers, failover when a carrier refuses our credentials.

const HOLD =
  "v=0\r\no=- 1 2 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=sendonly\r\n";
const CARRIER_CONTACT = "Contact: <sip:carrier@203.0.113.5:5060>";

/** A call from the caller through carrier A, answered and ACKed. */
function answered(settings: Partial<CallSettings> = {}, extra: { invite?: string[]; ok?: string[] } = {}) {
  const t = setup([routingGateway("a")], settings);
  t.layer.receive(callerInvite(extra.invite), CALLER);
  t.answer(A, "INVITE", 200, "OK", [CARRIER_CONTACT, ...(extra.ok ?? [])], "v=0\r\n");
  const ok = t.to(CALLER).find((m): m is SipResponse => m.kind === "response" && m.status === 200)!;
  const tag = toTagOf(ok)!;
  t.layer.receive(inDialog("ACK", { toTag: tag, cseq: 10, branch: "z9hG4bKack1" }), CALLER);
  return { ...t, tag, ok };
}

const statuses = (messages: readonly unknown[]) =>
  (messages as SipResponse[]).filter((m) => m.kind === "response").map((m) => m.status);

describe("in-dialog requests relayed end to end", () => {
  it("the caller's re-INVITE (hold) reaches the carrier in its dialog; the 200 and the ACK come back and go on", () => {
    const t = answered();
    const carrierCallId = getHeader(t.last(A, "INVITE"), "call-id");
    t.peerRequest(CALLER, "INVITE", 11, { body: HOLD });
    const reinvite = t.last(A, "INVITE");
    expect(reinvite.uri).toBe("sip:carrier@203.0.113.5:5060");
    expect(getHeader(reinvite, "call-id")).toBe(carrierCallId);
    expect(getCSeq(reinvite)).toEqual({ number: 2, method: "INVITE" });
    expect(getHeader(reinvite, "to")).toMatch(/;tag=carrier1$/);
    expect(getHeader(reinvite, "contact")).toBe("<sip:198.51.100.1:5060>");
    expect(reinvite.body.toString()).toBe(HOLD);

    t.answer(A, "INVITE", 200, "OK", [CARRIER_CONTACT], "v=0\r\na=recvonly\r\n");
    const ok = t.to(CALLER).at(-1) as SipResponse;
    expect([ok.status, getCSeq(ok)]).toEqual([200, { number: 11, method: "INVITE" }]);
    expect(getHeader(ok, "to")).toBe(`<sip:0044123@198.51.100.1>;tag=${t.tag}`);
    expect(ok.body.toString()).toBe("v=0\r\na=recvonly\r\n");

    t.layer.receive(inDialog("ACK", { toTag: t.tag, cseq: 11, branch: "z9hG4bKack2" }), CALLER);
    expect(getCSeq(t.last(A, "ACK"))).toEqual({ number: 2, method: "ACK" });
    expect(t.b2bua.liveCalls()).toHaveLength(1);
  });

  it("the carrier's session refreshes (re-INVITE, then UPDATE) reach the caller, each with the caller leg's own CSeq", () => {
    const t = answered();
    t.peerRequest(A, "INVITE", 5, {
      extra: ["Session-Expires: 90;refresher=uas", "Supported: timer"],
      body: "v=0\r\n",
    });
    const reinvite = t.last(CALLER, "INVITE");
    expect(reinvite.uri).toBe("sip:1000@192.0.2.10:5062");
    expect(getCSeq(reinvite)).toEqual({ number: 1, method: "INVITE" });
    expect(getHeader(reinvite, "call-id")).toBe("inbound-1@192.0.2.10");
    expect(getHeader(reinvite, "from")).toBe(`<sip:0044123@198.51.100.1>;tag=${t.tag}`);
    expect(getHeader(reinvite, "session-expires")).toBe("90;refresher=uas");
    expect(getHeader(reinvite, "supported")).toBe("timer");
    t.answer(CALLER, "INVITE", 200, "OK", ["Session-Expires: 90;refresher=uas", "Require: timer"], "v=0\r\n");
    const relayed = t.to(A).at(-1) as SipResponse;
    expect([relayed.status, getCSeq(relayed)?.number, getHeader(relayed, "require")]).toEqual([200, 5, "timer"]);
    t.peerRequest(A, "ACK", 5);
    expect(getCSeq(t.last(CALLER, "ACK"))).toEqual({ number: 1, method: "ACK" });

    t.peerRequest(A, "UPDATE", 6, { extra: ["Session-Expires: 90;refresher=uas"] });
    expect(getCSeq(t.last(CALLER, "UPDATE"))).toEqual({ number: 2, method: "UPDATE" });
    t.answer(CALLER, "UPDATE", 200, "OK", ["Session-Expires: 90;refresher=uas"]);
    expect(statuses(t.to(A)).at(-1)).toBe(200);
    expect(t.b2bua.liveCalls()).toHaveLength(1);
  });

  it("glare: a re-INVITE from the carrier while the caller's is pending gets 491", () => {
    const t = answered();
    t.peerRequest(CALLER, "INVITE", 11, { body: HOLD });
    t.peerRequest(A, "INVITE", 5, { body: "v=0\r\n" });
    expect(statuses(t.to(A)).at(-1)).toBe(491);
    t.answer(A, "INVITE", 200, "OK", [CARRIER_CONTACT], "v=0\r\n");
    expect(statuses(t.to(CALLER)).at(-1)).toBe(200);
  });

  it("INFO with DTMF (application/dtmf-relay) goes both ways with its body; 200 comes back", () => {
    const t = answered();
    const dtmf = "Signal=5\r\nDuration=160\r\n";
    t.peerRequest(CALLER, "INFO", 11, { body: dtmf, type: "application/dtmf-relay" });
    const info = t.last(A, "INFO");
    expect([getHeader(info, "content-type"), info.body.toString()]).toEqual(["application/dtmf-relay", dtmf]);
    t.answer(A, "INFO", 200, "OK");
    expect(statuses(t.to(CALLER)).at(-1)).toBe(200);
    t.peerRequest(A, "INFO", 5, { body: dtmf, type: "application/dtmf-relay" });
    expect(t.last(CALLER, "INFO").body.toString()).toBe(dtmf);
    t.answer(CALLER, "INFO", 200, "OK");
    expect(statuses(t.to(A)).at(-1)).toBe(200);
  });

  it("NOTIFY, MESSAGE and OPTIONS inside the call are relayed too", () => {
    const t = answered();
    t.peerRequest(A, "NOTIFY", 5, {
      extra: ["Event: refer", "Subscription-State: active"],
      body: "SIP/2.0 100 Trying\r\n",
      type: "message/sipfrag",
    });
    expect(getHeaderValues(t.last(CALLER, "NOTIFY"), "event")).toEqual(["refer"]);
    t.peerRequest(CALLER, "MESSAGE", 11, { body: "hello", type: "text/plain" });
    expect(t.last(A, "MESSAGE").body.toString()).toBe("hello");
    t.peerRequest(CALLER, "OPTIONS", 12);
    expect(getCSeq(t.last(A, "OPTIONS"))).toEqual({ number: 3, method: "OPTIONS" });
  });

  it("REFER is refused with 403 unless SS_SIP_ALLOW_REFER, then relayed with its Refer-To", () => {
    const refused = answered();
    refused.peerRequest(CALLER, "REFER", 11, { extra: ["Refer-To: <sip:0099@203.0.113.9>"] });
    expect(statuses(refused.to(CALLER)).at(-1)).toBe(403);
    expect(refused.lines(A)).not.toContain("REFER");

    const allowed = answered({ allowRefer: true });
    allowed.peerRequest(CALLER, "REFER", 11, { extra: ["Refer-To: <sip:0099@203.0.113.9>"] });
    expect(getHeader(allowed.last(A, "REFER"), "refer-to")).toBe("<sip:0099@203.0.113.9>");
  });

  it("a CSeq lower than the last one is out of order: 500 (RFC 3261 §12.2.2)", () => {
    const t = answered();
    t.peerRequest(CALLER, "INFO", 20);
    t.peerRequest(CALLER, "INFO", 19);
    expect(statuses(t.to(CALLER)).at(-1)).toBe(500);
  });

  it("481 from the other leg is relayed and the call ends with BYE on both legs", () => {
    const t = answered();
    t.peerRequest(CALLER, "INFO", 11);
    t.answer(A, "INFO", 481, "Call/Transaction Does Not Exist");
    expect(statuses(t.to(CALLER))).toContain(481);
    expect(t.lines(CALLER)).toContain("BYE");
    expect(t.lines(A)).toContain("BYE");
    expect(t.b2bua.liveCalls()).toEqual([]);
  });
});

describe("session timers (RFC 4028) and SS_SIP_SESSION_TTL", () => {
  it("a call whose refresh is due and never comes is ended with BYE both ways", () => {
    const t = answered({ sessionTtlMs: 0 }, { ok: ["Session-Expires: 90;refresher=uac", "Require: timer"] });
    expect(getHeader(t.ok, "session-expires")).toBe("90;refresher=uac");
    t.clock.advance(59_000);
    expect(t.b2bua.liveCalls()).toHaveLength(1);
    t.clock.advance(1_000); // 90 − min(32, 90 / 3) = 60 s
    expect(t.lines(CALLER)).toContain("BYE");
    expect(t.lines(A)).toContain("BYE");
    expect(t.records.at(-1)).toMatchObject({ endedBy: "server", finalReason: "session timer expired" });
  });

  it("a refresh in time keeps the call up, interval after interval", () => {
    const t = answered({ sessionTtlMs: 0 }, { ok: ["Session-Expires: 90;refresher=uac"] });
    for (let cseq = 11; cseq < 15; cseq++) {
      t.clock.advance(45_000);
      t.peerRequest(CALLER, "UPDATE", cseq, { extra: ["Session-Expires: 90;refresher=uac"] });
      t.answer(A, "UPDATE", 200, "OK", ["Session-Expires: 90;refresher=uac"]);
    }
    expect(t.b2bua.liveCalls()).toHaveLength(1);
    expect(t.lines(A)).not.toContain("BYE");
  });

  it("SS_SIP_SESSION_TTL 0: a silent call without session timers lives on (24 h here)", () => {
    const t = answered({ sessionTtlMs: 0 });
    t.clock.advance(24 * 3600 * 1000);
    expect(t.b2bua.liveCalls()).toHaveLength(1);
  });

  it("SS_SIP_SESSION_TTL set: a silent call ends at the TTL; a request inside the call restarts it", () => {
    const t = answered({ sessionTtlMs: 5_000 });
    t.clock.advance(4_000);
    t.peerRequest(CALLER, "INFO", 11);
    t.clock.advance(4_000);
    expect(t.b2bua.liveCalls()).toHaveLength(1);
    t.clock.advance(1_000);
    expect(t.b2bua.liveCalls()).toEqual([]);
    expect(t.lines(CALLER)).toContain("BYE");
  });

  it("a Session-Expires below SS_SIP_MIN_SE is refused with 422 and our Min-SE, before any carrier is called", () => {
    const t = setup([routingGateway("a")]);
    t.layer.receive(callerInvite(["Session-Expires: 30", "Supported: timer"]), CALLER);
    const refused = t.to(CALLER).at(-1) as SipResponse;
    expect([refused.status, getHeader(refused, "min-se")]).toEqual([422, "90"]);
    expect(t.lines(A)).toEqual([]);
  });

  it("the caller's session timer headers go on to the carrier in the INVITE", () => {
    const t = setup([routingGateway("a")]);
    t.layer.receive(
      callerInvite(["Session-Expires: 1800;refresher=uac", "Min-SE: 90", "Supported: timer, 100rel"]),
      CALLER,
    );
    const out = t.last(A, "INVITE");
    expect([getHeader(out, "session-expires"), getHeader(out, "min-se"), getHeader(out, "supported")]).toEqual([
      "1800;refresher=uac",
      "90",
      "timer, 100rel",
    ]);
  });
});

describe("reliable provisionals (RFC 3262) and early dialogs", () => {
  const prack = (toTag: string) =>
    parse(
      [
        "PRACK sip:198.51.100.1:5060 SIP/2.0",
        "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bKprack1",
        "Max-Forwards: 70",
        'From: "Alice" <sip:1000@192.0.2.10>;tag=alice1',
        `To: <sip:0044123@198.51.100.1>;tag=${toTag}`,
        "Call-ID: inbound-1@192.0.2.10",
        "CSeq: 11 PRACK",
        "RAck: 7 10 INVITE",
        "Content-Length: 0",
        "",
        "",
      ].join("\r\n"),
    );

  it("a reliable 183 reaches the caller with its RSeq; the caller's PRACK reaches the carrier with the RAck of its leg", () => {
    const t = setup([routingGateway("a")]);
    t.layer.receive(callerInvite(["Supported: 100rel"]), CALLER);
    expect(getHeader(t.last(A, "INVITE"), "supported")).toBe("100rel");
    t.answer(A, "INVITE", 183, "Session Progress", ["Require: 100rel", "RSeq: 7", CARRIER_CONTACT], "v=0\r\n");
    const progress = t.to(CALLER).at(-1) as SipResponse;
    expect([progress.status, getHeader(progress, "rseq"), getHeader(progress, "require")]).toEqual([
      183,
      "7",
      "100rel",
    ]);

    t.layer.receive(prack(toTagOf(progress)!), CALLER);
    const relayed = t.last(A, "PRACK");
    expect(relayed.uri).toBe("sip:carrier@203.0.113.5:5060");
    expect(getHeader(relayed, "rack")).toBe("7 1 INVITE");
    expect(getCSeq(relayed)).toEqual({ number: 2, method: "PRACK" });
    expect(getHeader(relayed, "to")).toMatch(/;tag=carrier1$/);
    t.answer(A, "PRACK", 200, "OK");
    expect(statuses(t.to(CALLER)).at(-1)).toBe(200);

    // answered: the caller's ACK goes on with the INVITE's CSeq, not the PRACK's
    t.answer(A, "INVITE", 200, "OK", [CARRIER_CONTACT]);
    t.layer.receive(inDialog("ACK", { toTag: toTagOf(progress)!, cseq: 10, branch: "z9hG4bKack7" }), CALLER);
    expect(getCSeq(t.last(A, "ACK"))).toEqual({ number: 1, method: "ACK" });
  });

  it("in an early dialog an UPDATE is relayed and a re-INVITE gets 500 with Retry-After (RFC 3261 §14.1)", () => {
    const t = setup([routingGateway("a")]);
    t.layer.receive(callerInvite(), CALLER);
    t.answer(A, "INVITE", 180, "Ringing", [CARRIER_CONTACT]);
    const tag = toTagOf(t.to(CALLER).at(-1)!)!;
    t.layer.receive(inDialog("INVITE", { toTag: tag, cseq: 12, branch: "z9hG4bKre1" }), CALLER);
    const refused = t.to(CALLER).at(-1) as SipResponse;
    expect([refused.status, getHeader(refused, "retry-after")]).toEqual([500, "1"]);
    t.layer.receive(inDialog("UPDATE", { toTag: tag, cseq: 13, branch: "z9hG4bKu2" }), CALLER);
    expect(getCSeq(t.last(A, "UPDATE"))).toEqual({ number: 2, method: "UPDATE" });
  });
});

describe("route sets, remote targets and forks", () => {
  it("responses to the caller carry its Record-Route; requests to it go through that route to its Contact", () => {
    const t = answered({}, { invite: ["Record-Route: <sip:192.0.2.99;lr>"] });
    expect(getHeaderValues(t.ok, "record-route")).toEqual(["<sip:192.0.2.99;lr>"]);
    t.peerRequest(A, "BYE", 5);
    const bye = t.sent.filter((s) => s.message.kind === "request" && s.message.method === "BYE").at(-1)!;
    expect(bye.to).toMatchObject({ address: "192.0.2.99", port: 5060 });
    expect((bye.message as SipRequest).uri).toBe("sip:1000@192.0.2.10:5062");
    expect(getHeaderValues(bye.message, "route")).toEqual(["<sip:192.0.2.99;lr>"]);
  });

  it("requests to the carrier go to its 2xx's Contact (the remote target), through its Record-Route when it has one", () => {
    const direct = setup([routingGateway("a")]);
    direct.layer.receive(callerInvite(), CALLER);
    direct.answer(A, "INVITE", 200, "OK", ["Contact: <sip:media@203.0.113.50:5080>"]);
    const tag = toTagOf(direct.to(CALLER).at(-1)!)!;
    direct.layer.receive(inDialog("BYE", { toTag: tag, cseq: 11, branch: "z9hG4bKbye9" }), CALLER);
    const bye = direct.sent.filter((s) => s.message.kind === "request" && s.message.method === "BYE").at(-1)!;
    expect(bye.to).toMatchObject({ address: "203.0.113.50", port: 5080 });

    const routed = setup([routingGateway("a")]);
    routed.layer.receive(callerInvite(), CALLER);
    routed.answer(A, "INVITE", 200, "OK", [
      "Contact: <sip:media@203.0.113.50:5080>",
      "Record-Route: <sip:203.0.113.7;lr>, <sip:203.0.113.8;lr>",
    ]);
    const routedTag = toTagOf(routed.to(CALLER).at(-1)!)!;
    routed.layer.receive(inDialog("ACK", { toTag: routedTag, cseq: 10, branch: "z9hG4bKack9" }), CALLER);
    const ack = routed.sent.filter((s) => s.message.kind === "request" && s.message.method === "ACK").at(-1)!;
    expect(ack.to).toMatchObject({ address: "203.0.113.8", port: 5060 });
    expect(getHeaderValues(ack.message, "route")).toEqual(["<sip:203.0.113.8;lr>", "<sip:203.0.113.7;lr>"]);
  });

  it("a private Contact from a carrier on a public address (behind NAT) is reached at the address we called", () => {
    const t = setup([routingGateway("a")]);
    t.layer.receive(callerInvite(), CALLER);
    t.answer(A, "INVITE", 200, "OK", ["Contact: <sip:carrier@10.1.2.3:5060>"]);
    t.layer.receive(inDialog("ACK", { toTag: toTagOf(t.to(CALLER).at(-1)!)!, cseq: 10, branch: "z9hG4bKa" }), CALLER);
    const ack = t.sent.filter((s) => s.message.kind === "request" && s.message.method === "ACK").at(-1)!;
    expect(ack.to).toMatchObject({ address: A.address, port: A.port });
  });

  it("a second 2xx from another fork is ACKed and then ended with BYE; the call stays on the first", () => {
    const t = answered();
    const invite = t.last(A, "INVITE");
    const fork = [
      "SIP/2.0 200 OK",
      ...invite.headers
        .filter((h) => ["via", "from", "call-id", "cseq"].includes(h.key))
        .map((h) => `${h.name}: ${h.value}`),
      `To: ${getHeader(invite, "to")};tag=fork2`,
      "Contact: <sip:fork@203.0.113.5:5060>",
      "Content-Length: 0",
      "",
      "",
    ];
    t.layer.receive(parse(fork.join("\r\n")), A);
    const byes = t.to(A).filter((m): m is SipRequest => m.kind === "request" && m.method === "BYE");
    expect(byes.map((b) => getHeader(b, "to"))).toEqual([expect.stringMatching(/;tag=fork2$/)]);
    expect(
      t
        .to(A)
        .filter((m) => m.kind === "request" && m.method === "ACK")
        .map((m) => getHeader(m, "to")),
    ).toContainEqual(expect.stringMatching(/;tag=fork2$/));
    expect(t.b2bua.liveCalls()).toHaveLength(1);
    expect(t.counters.snapshot().calls_forks_ended_total).toBe(1);
  });
});

describe("failover when a carrier refuses our credentials", () => {
  const creds = { authUsername: "acct", password: "carrier-pw", priority: 9 };
  const challenge = () => `Proxy-Authenticate: Digest realm="carrier.example", nonce="n${Math.random()}", qop="auth"`;
  const second = { address: B.address, port: B.port, authUsername: "acct", password: "right" };

  it("a second challenge after our answer: the next carrier is tried and connects; the record names both attempts", () => {
    const t = setup([routingGateway("a", creds), routingGateway("b", second)]);
    t.layer.receive(callerInvite(), CALLER);
    t.answer(A, "INVITE", 407, "Proxy Authentication Required", [challenge()]);
    t.answer(A, "INVITE", 407, "Proxy Authentication Required", [challenge()]);
    expect(t.lines(B)).toEqual(["INVITE"]);
    t.answer(B, "INVITE", 200, "OK", ["Contact: <sip:b@203.0.113.6:5070>"]);
    expect(statuses(t.to(CALLER))).toEqual([200]);
    const tag = toTagOf(t.to(CALLER).at(-1)!)!;
    t.layer.receive(inDialog("ACK", { toTag: tag, cseq: 10, branch: "z9hG4bKa1" }), CALLER);
    t.layer.receive(inDialog("BYE", { toTag: tag, cseq: 11, branch: "z9hG4bKb1" }), CALLER);
    expect(t.records.at(-1)?.attempts).toEqual([
      {
        routingGatewayId: "a",
        routingGatewayName: "a",
        code: 407,
        reason: "Carrier Authentication Failed",
        failedOver: true,
      },
      { routingGatewayId: "b", routingGatewayName: "b", code: 200, reason: "OK", failedOver: false },
    ]);
  });

  it("a 403 after our credentials fails over the same way", () => {
    const t = setup([routingGateway("a", creds), routingGateway("b", second)]);
    t.layer.receive(callerInvite(), CALLER);
    t.answer(A, "INVITE", 407, "Proxy Authentication Required", [challenge()]);
    t.answer(A, "INVITE", 403, "Forbidden");
    expect(t.lines(B)).toEqual(["INVITE"]);
  });

  it("with the gateway's failoverOnAuthFailure off, the call fails at once with 503", () => {
    const t = setup([routingGateway("a", { ...creds, failoverOnAuthFailure: false }), routingGateway("b", second)]);
    t.layer.receive(callerInvite(), CALLER);
    t.answer(A, "INVITE", 407, "Proxy Authentication Required", [challenge()]);
    t.answer(A, "INVITE", 407, "Proxy Authentication Required", [challenge()]);
    expect(t.lines(B)).toEqual([]);
    expect(statuses(t.to(CALLER))).toEqual([503]);
    expect(t.records.at(-1)?.attempts).toEqual([
      {
        routingGatewayId: "a",
        routingGatewayName: "a",
        code: 407,
        reason: "Carrier Authentication Failed",
        failedOver: false,
      },
    ]);
  });
});
