import { describe, expect, it } from "vitest";
import type { SipRequest } from "@/lib/engine/sip/message";
import { buildResponse } from "@/lib/engine/sip/response";
import {
  createHarness,
  request,
  startLine,
  TCP_PEER,
  UDP_PEER,
  type Harness,
} from "@/lib/engine/transaction/test-harness";

function advanceTo(h: Harness, ms: number): void {
  h.clock.advance(ms - h.elapsed());
}

/** The ACK a UAC sends for a non-2xx final: same branch as the INVITE (RFC 3261 §17.1.1.3). */
function ackFor(invite: SipRequest, toTag: string, branch = "z9hG4bKabc123"): SipRequest {
  return request({ method: "ACK", branch, cseq: 1, toTag, uri: invite.uri });
}

function toTagOf(h: Harness): string {
  const final = h.sent[h.sent.length - 1].message;
  const to = final.headers.find((x) => x.key === "to")?.value ?? "";
  return /;tag=([^;]+)/.exec(to)?.[1] ?? "";
}

describe("INVITE server transaction (RFC 3261 §17.2.1)", () => {
  it("hands the INVITE up once and answers retransmissions with the last provisional", () => {
    const h = createHarness();
    const invite = request();
    h.layer.receive(invite, UDP_PEER);
    h.layer.receive(invite, UDP_PEER);
    expect(h.requests).toHaveLength(1);
    expect(h.sent).toHaveLength(0);
    h.requests[0].tx.respond(buildResponse(invite, 180, "Ringing"));
    h.layer.receive(invite, UDP_PEER);
    expect(h.sent.map((s) => startLine(s.message))).toEqual(["180 Ringing", "180 Ringing"]);
    expect(h.requests).toHaveLength(1);
    expect(h.layer.stats().transactions_absorbed_total).toBe(2);
  });

  it("sends 100 Trying after 200 ms when the TU has not answered", () => {
    const h = createHarness();
    const invite = request();
    h.layer.receive(invite, UDP_PEER);
    advanceTo(h, 199);
    expect(h.sent).toHaveLength(0);
    advanceTo(h, 200);
    expect(h.sent.map((s) => [startLine(s.message), s.at, s.to])).toEqual([["100 Trying", 200, UDP_PEER]]);
    // the 100 carries no To tag (RFC 3261 §8.2.6.1) and is what a retransmission gets back
    expect(h.sent[0].message.headers.find((x) => x.key === "to")?.value).toBe("<sip:bob@example.com>");
    h.layer.receive(invite, UDP_PEER);
    expect(h.sent.map((s) => startLine(s.message))).toEqual(["100 Trying", "100 Trying"]);
    h.layer.stop();
  });

  it("sends no 100 Trying when the TU answers first", () => {
    const h = createHarness();
    h.layer.receive(request(), UDP_PEER);
    advanceTo(h, 150);
    h.requests[0].tx.respond(buildResponse(h.requests[0].request, 180, "Ringing"));
    advanceTo(h, 1000);
    expect(h.sent.map((s) => startLine(s.message))).toEqual(["180 Ringing"]);
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it("retransmits a non-2xx final on Timer G (500, 1000, 2000, 4000, 4000… ms) until Timer H abandons it", () => {
    const h = createHarness();
    const invite = request();
    h.layer.receive(invite, UDP_PEER);
    const tx = h.requests[0].tx;
    tx.respond(buildResponse(invite, 486, "Busy Here"));
    advanceTo(h, 31_999);
    expect(h.sentAt("486")).toEqual([0, 500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]);
    expect(h.ackTimeouts).toHaveLength(0);
    expect(tx.state).toBe("completed");
    advanceTo(h, 32_000);
    expect(tx.state).toBe("terminated");
    expect(h.ackTimeouts).toEqual([tx]);
    advanceTo(h, 100_000);
    expect(h.sentAt("486")).toHaveLength(11);
    expect(h.ackTimeouts).toHaveLength(1);
    expect(h.clock.pendingTimers()).toBe(0);
    expect(h.layer.stats().transactions_live).toBe(0);
  });

  it("answers a retransmitted INVITE with the same final response while Completed", () => {
    const h = createHarness();
    const invite = request();
    h.layer.receive(invite, UDP_PEER);
    h.requests[0].tx.respond(buildResponse(invite, 486, "Busy Here"));
    advanceTo(h, 100);
    h.layer.receive(invite, UDP_PEER);
    expect(h.requests).toHaveLength(1);
    expect(h.sent.map((s) => [startLine(s.message), s.at])).toEqual([
      ["486 Busy Here", 0],
      ["486 Busy Here", 100],
    ]);
    expect(h.sent[1].message).toEqual(h.sent[0].message);
    h.layer.stop();
  });

  it("absorbs the ACK for a non-2xx, stops Timer G, and ends on Timer I (T4)", () => {
    const h = createHarness();
    const invite = request();
    h.layer.receive(invite, UDP_PEER);
    const tx = h.requests[0].tx;
    tx.respond(buildResponse(invite, 486, "Busy Here"));
    advanceTo(h, 600);
    h.layer.receive(ackFor(invite, toTagOf(h)), UDP_PEER);
    expect(tx.state).toBe("confirmed");
    expect(h.acks).toHaveLength(0);
    expect(h.requests).toHaveLength(1);
    // Confirmed absorbs further ACKs and INVITEs without a word
    h.layer.receive(ackFor(invite, toTagOf(h)), UDP_PEER);
    h.layer.receive(invite, UDP_PEER);
    advanceTo(h, 5599);
    expect(h.sentAt("486")).toEqual([0, 500]);
    expect(tx.state).toBe("confirmed");
    advanceTo(h, 5600);
    expect(tx.state).toBe("terminated");
    expect(h.ackTimeouts).toHaveLength(0);
    expect(h.clock.pendingTimers()).toBe(0);
    expect(h.layer.stats().transactions_live).toBe(0);
  });

  it("moves to Accepted on a 2xx, retransmits it until the ACK (passed up), and ends on Timer L", () => {
    const h = createHarness();
    const invite = request();
    h.layer.receive(invite, UDP_PEER);
    const tx = h.requests[0].tx;
    tx.respond(buildResponse(invite, 200, "OK", [["Contact", "<sip:engine@192.0.2.1>"]]));
    expect(tx.state).toBe("accepted");
    advanceTo(h, 4000);
    // RFC 6026 §7.1: a retransmitted INVITE is absorbed, never handed to the TU again
    h.layer.receive(invite, UDP_PEER);
    expect(h.requests).toHaveLength(1);
    // RFC 3261 §13.3.1.4: the ACK for a 2xx carries a new branch and the To tag of the 2xx
    const ack = ackFor(invite, toTagOf(h), "z9hG4bKack2xx");
    h.layer.receive(ack, UDP_PEER);
    expect(h.acks).toEqual([ack]);
    advanceTo(h, 31_999);
    expect(h.sentAt("200")).toEqual([0, 500, 1500, 3500]);
    expect(tx.state).toBe("accepted");
    h.layer.receive(ack, UDP_PEER);
    expect(h.acks).toHaveLength(2);
    advanceTo(h, 32_000);
    expect(tx.state).toBe("terminated");
    expect(h.ackTimeouts).toHaveLength(0);
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it("retransmits an unacknowledged 2xx at T1 doubling to T2 and reports it once when Timer L fires", () => {
    const h = createHarness();
    const invite = request();
    h.layer.receive(invite, UDP_PEER);
    const tx = h.requests[0].tx;
    tx.respond(buildResponse(invite, 200, "OK"));
    advanceTo(h, 40_000);
    expect(h.sentAt("200")).toEqual([0, 500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]);
    expect(h.ackTimeouts).toEqual([tx]);
    expect(h.layer.stats().transactions_timeouts_total).toBe(1);
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it("refuses a second final response and says so", () => {
    const h = createHarness();
    const invite = request();
    h.layer.receive(invite, UDP_PEER);
    const tx = h.requests[0].tx;
    expect(tx.respond(buildResponse(invite, 200, "OK"))).toBe(true);
    expect(tx.respond(buildResponse(invite, 487, "Request Terminated"))).toBe(false);
    expect(h.sent.map((s) => startLine(s.message))).toEqual(["200 OK"]);
    h.layer.stop();
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it("sends nothing for an abandoned INVITE and forgets it", () => {
    const h = createHarness({}, ({ tx }) => tx.abandon());
    h.layer.receive(request(), UDP_PEER);
    advanceTo(h, 1000);
    expect(h.sent).toHaveLength(0);
    expect(h.clock.pendingTimers()).toBe(0);
    expect(h.layer.stats().transactions_live).toBe(0);
  });
});

describe("INVITE server transaction over TCP", () => {
  it("answers on the same connection, never retransmits, keeps Timer H, and ends at the ACK (Timer I = 0)", () => {
    const h = createHarness();
    const invite = request({ transport: "TCP" });
    h.layer.receive(invite, TCP_PEER);
    const tx = h.requests[0].tx;
    advanceTo(h, 200);
    tx.respond(buildResponse(invite, 486, "Busy Here"));
    advanceTo(h, 10_000);
    expect(h.sent.map((s) => [startLine(s.message), s.at, s.to])).toEqual([
      ["100 Trying", 200, TCP_PEER],
      ["486 Busy Here", 200, TCP_PEER],
    ]);
    expect(h.clock.pendingTimers()).toBe(1);
    h.layer.receive(request({ method: "ACK", transport: "TCP", toTag: toTagOf(h) }), TCP_PEER);
    expect(tx.state).toBe("terminated");
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it("abandons an unacknowledged non-2xx on Timer H at 64*T1", () => {
    const h = createHarness();
    const invite = request({ transport: "TCP" });
    h.layer.receive(invite, TCP_PEER);
    h.requests[0].tx.respond(buildResponse(invite, 603, "Decline"));
    advanceTo(h, 31_999);
    expect(h.ackTimeouts).toHaveLength(0);
    advanceTo(h, 32_000);
    expect(h.ackTimeouts).toHaveLength(1);
    expect(h.sent).toHaveLength(1);
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it("does not retransmit a 2xx over TCP and still passes its ACK up", () => {
    const h = createHarness();
    const invite = request({ transport: "TCP" });
    h.layer.receive(invite, TCP_PEER);
    h.requests[0].tx.respond(buildResponse(invite, 200, "OK"));
    advanceTo(h, 5000);
    h.layer.receive(request({ method: "ACK", transport: "TCP", branch: "z9hG4bKother", toTag: toTagOf(h) }), TCP_PEER);
    advanceTo(h, 40_000);
    expect(h.sentAt("200")).toEqual([0]);
    expect(h.acks).toHaveLength(1);
    expect(h.ackTimeouts).toHaveLength(0);
    expect(h.clock.pendingTimers()).toBe(0);
  });
});
