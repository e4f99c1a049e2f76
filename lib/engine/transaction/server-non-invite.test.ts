import { describe, expect, it } from "vitest";
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

const register = (cseq = 1) =>
  request({ method: "REGISTER", uri: "sip:example.com", branch: `z9hG4bKreg${cseq}`, cseq });

describe("non-INVITE server transaction (RFC 3261 §17.2.2)", () => {
  it("hands the request up once and answers every retransmission with the same final response", () => {
    const h = createHarness();
    const req = register();
    h.layer.receive(req, UDP_PEER);
    // Trying: a retransmission before any response is absorbed silently
    h.layer.receive(req, UDP_PEER);
    expect(h.sent).toHaveLength(0);
    h.requests[0].tx.respond(buildResponse(req, 200, "OK", [["Expires", "3600"]]));
    advanceTo(h, 1000);
    h.layer.receive(req, UDP_PEER);
    advanceTo(h, 20_000);
    h.layer.receive(req, UDP_PEER);
    expect(h.requests).toHaveLength(1);
    expect(h.sent.map((s) => [startLine(s.message), s.at])).toEqual([
      ["200 OK", 0],
      ["200 OK", 1000],
      ["200 OK", 20_000],
    ]);
    expect(h.sent[2].message).toEqual(h.sent[0].message);
  });

  it("never sends a 100 Trying of its own", () => {
    const h = createHarness();
    h.layer.receive(register(), UDP_PEER);
    advanceTo(h, 10_000);
    expect(h.sent).toHaveLength(0);
    h.layer.stop();
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it("drops a request the TU never answers once its client has given up (64*T1)", () => {
    const h = createHarness();
    const req = register();
    h.layer.receive(req, UDP_PEER);
    const tx = h.requests[0].tx;
    advanceTo(h, 31_999);
    expect(tx.state).toBe("trying");
    advanceTo(h, 32_000);
    expect(tx.state).toBe("terminated");
    expect(tx.respond(buildResponse(req, 200, "OK"))).toBe(false);
    expect(h.sent).toHaveLength(0);
    expect(h.layer.stats()).toMatchObject({ transactions_live: 0, transactions_unanswered_total: 1 });
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it("resends the last provisional while Proceeding", () => {
    const h = createHarness();
    const req = register();
    h.layer.receive(req, UDP_PEER);
    const tx = h.requests[0].tx;
    tx.respond(buildResponse(req, 100, "Trying"));
    expect(tx.state).toBe("proceeding");
    h.layer.receive(req, UDP_PEER);
    expect(h.sent.map((s) => startLine(s.message))).toEqual(["100 Trying", "100 Trying"]);
    h.layer.stop();
  });

  it("keeps the transaction for Timer J (64*T1) over UDP, then forgets it", () => {
    const h = createHarness();
    const req = register();
    h.layer.receive(req, UDP_PEER);
    const tx = h.requests[0].tx;
    tx.respond(buildResponse(req, 401, "Unauthorized"));
    expect(tx.state).toBe("completed");
    advanceTo(h, 31_999);
    expect(tx.state).toBe("completed");
    expect(h.sent).toHaveLength(1); // no retransmission of a non-INVITE response on a timer
    advanceTo(h, 32_000);
    expect(tx.state).toBe("terminated");
    expect(h.clock.pendingTimers()).toBe(0);
    expect(h.layer.stats().transactions_live).toBe(0);
    // once forgotten, the same request is a new one
    h.layer.receive(req, UDP_PEER);
    expect(h.requests).toHaveLength(2);
  });

  it("honours overridden timers (T1 = 100 ms: Timer J = 6.4 s)", () => {
    const h = createHarness({ t1: 100 });
    const req = register();
    h.layer.receive(req, UDP_PEER);
    h.requests[0].tx.respond(buildResponse(req, 200, "OK"));
    advanceTo(h, 6399);
    expect(h.requests[0].tx.state).toBe("completed");
    advanceTo(h, 6400);
    expect(h.requests[0].tx.state).toBe("terminated");
  });

  it("ends at once over TCP (Timer J = 0) and answers on the request's connection", () => {
    const h = createHarness();
    const req = request({ method: "OPTIONS", transport: "TCP", sentBy: "10.0.0.5:5060" });
    h.layer.receive(req, TCP_PEER);
    const tx = h.requests[0].tx;
    tx.respond(buildResponse(req, 200, "OK"));
    expect(tx.state).toBe("terminated");
    expect(h.sent.map((s) => s.to)).toEqual([TCP_PEER]);
    expect(h.sent[0].to.connectionId).toBe(7);
    expect(h.clock.pendingTimers()).toBe(0);
    expect(h.layer.stats().transactions_live).toBe(0);
  });

  it("answers UDP at the source address and port, not the Via sent-by (RFC 3581)", () => {
    const h = createHarness();
    const req = request({ method: "OPTIONS", sentBy: "10.0.0.5:5060" });
    const natted = { transport: "udp", address: "198.51.100.7", port: 61_000 } as const;
    h.layer.receive(req, natted);
    h.requests[0].tx.respond(buildResponse(req, 200, "OK"));
    h.layer.receive(req, { ...natted, port: 61_001 });
    expect(h.sent.map((s) => s.to)).toEqual([natted, natted]);
    h.layer.stop();
  });
});

describe("stats", () => {
  it("counts live transactions by kind and state, and running totals", () => {
    const h = createHarness();
    const req = register();
    h.layer.receive(req, UDP_PEER);
    h.layer.receive(request(), UDP_PEER);
    expect(h.layer.stats()).toMatchObject({
      transactions_server_non_invite_trying: 1,
      transactions_server_invite_proceeding: 1,
      transactions_live: 2,
      transactions_server_created_total: 2,
    });
    h.requests[0].tx.respond(buildResponse(req, 200, "OK"));
    h.layer.receive(req, UDP_PEER);
    expect(h.layer.stats()).toMatchObject({
      transactions_server_non_invite_trying: 0,
      transactions_server_non_invite_completed: 1,
      transactions_absorbed_total: 1,
    });
    h.layer.stop();
    expect(h.layer.stats().transactions_live).toBe(0);
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it("holds no more than the transactions in flight under a stream of requests", () => {
    const h = createHarness();
    for (let i = 0; i < 2000; i++) {
      const req = register(i);
      h.layer.receive(req, UDP_PEER);
      h.requests[i].tx.respond(buildResponse(req, 200, "OK"));
      h.clock.advance(20);
    }
    // at 40 s, those answered in the last 32 s are held: 32,000 / 20 = 1,600, the one of 8.0 s just gone
    expect(h.layer.stats().transactions_live).toBe(1599);
    advanceTo(h, h.elapsed() + 32_000);
    expect(h.layer.stats().transactions_live).toBe(0);
    expect(h.clock.pendingTimers()).toBe(0);
  });
});
