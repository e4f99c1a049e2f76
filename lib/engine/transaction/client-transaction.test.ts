import { describe, expect, it } from "vitest";
import { getTopVia } from "@/lib/engine/sip/accessors";
import { getHeaderValues } from "@/lib/engine/sip/header-access";
import type { SipRequest, SipResponse } from "@/lib/engine/sip/message";
import { buildRequest } from "@/lib/engine/sip/serializer";
import { buildCancel } from "@/lib/engine/transaction/client-requests";
import type { ClientHandlers, ClientTransaction } from "@/lib/engine/transaction/client-transaction";
import {
  createHarness,
  request,
  responseTo,
  startLine,
  TCP_PEER,
  type Harness,
} from "@/lib/engine/transaction/test-harness";
import type { Remote } from "@/lib/engine/transport/remote";

function advanceTo(h: Harness, ms: number): void {
  h.clock.advance(ms - h.elapsed());
}

interface Recorder extends ClientHandlers {
  readonly responses: SipResponse[];
  timeouts: number;
  transportErrors: number;
}

function recorder(withTransportError = true): Recorder {
  const r: Recorder = {
    responses: [],
    timeouts: 0,
    transportErrors: 0,
    onResponse: (response) => void r.responses.push(response),
    onTimeout: () => void r.timeouts++,
  };
  return withTransportError ? Object.assign(r, { onTransportError: () => void r.transportErrors++ }) : r;
}

const GATEWAY: Remote = { transport: "udp", address: "203.0.113.5", port: 5060 };
const invite = (transport: "UDP" | "TCP" = "UDP") =>
  request({ transport, branch: "z9hG4bKout1", sentBy: "192.0.2.1:5060" });
const options = (transport: "UDP" | "TCP" = "UDP") =>
  request({ method: "OPTIONS", transport, branch: "z9hG4bKout2", sentBy: "192.0.2.1:5060" });

function start(h: Harness, req: SipRequest, to = GATEWAY, r = recorder()): { tx: ClientTransaction; r: Recorder } {
  return { tx: h.layer.sendRequest(req, to, r), r };
}

describe("INVITE client transaction (RFC 3261 §17.1.1)", () => {
  it("retransmits on Timer A (500, 1000, 2000… ms, doubling without a cap) and times out once on Timer B", () => {
    const h = createHarness();
    const { tx, r } = start(h, invite());
    advanceTo(h, 31_999);
    expect(h.sentAt("INVITE")).toEqual([0, 500, 1500, 3500, 7500, 15_500, 31_500]);
    expect(h.sent.every((s) => s.to === GATEWAY)).toBe(true);
    expect(r.timeouts).toBe(0);
    advanceTo(h, 32_000);
    expect(r.timeouts).toBe(1);
    expect(tx.state).toBe("terminated");
    advanceTo(h, 200_000);
    expect(r.timeouts).toBe(1);
    expect(h.sent).toHaveLength(7);
    expect(h.clock.pendingTimers()).toBe(0);
    expect(h.layer.stats().transactions_live).toBe(0);
  });

  it("stops A and B on a provisional, then ACKs a non-2xx final itself and waits Timer D (32 s)", () => {
    const h = createHarness();
    const req = invite();
    const { tx, r } = start(h, req);
    advanceTo(h, 700);
    h.layer.receive(responseTo(req, 180, "Ringing"), GATEWAY);
    expect(tx.state).toBe("proceeding");
    advanceTo(h, 60_000);
    expect(h.sentAt("INVITE")).toEqual([0, 500]);
    expect(r.timeouts).toBe(0);
    const busy = responseTo(req, 486, "Busy Here");
    h.layer.receive(busy, GATEWAY);
    expect(tx.state).toBe("completed");
    expect(r.responses.map((x) => x.status)).toEqual([180, 486]);
    const ack = h.sent[h.sent.length - 1];
    expect(ack.to).toBe(GATEWAY);
    expect(ack.message.kind === "request" && ack.message.method).toBe("ACK");
    expect(Object.fromEntries(ack.message.headers.map((x) => [x.key, x.value]))).toEqual({
      via: "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKout1;rport",
      "max-forwards": "70",
      from: "<sip:alice@example.com>;tag=f1",
      to: "<sip:bob@example.com>;tag=t9",
      "call-id": "call-1@example.com",
      cseq: "1 ACK",
      route: "<sip:proxy.example.com;lr>",
      "content-length": "0",
    });
    expect(ack.message.kind === "request" && ack.message.uri).toBe(req.uri);
    // a retransmitted final is answered with the ACK again and not shown to the TU
    advanceTo(h, 70_000);
    h.layer.receive(busy, GATEWAY);
    expect(h.sentAt("ACK")).toEqual([60_000, 70_000]);
    expect(r.responses).toHaveLength(2);
    advanceTo(h, 91_999);
    expect(tx.state).toBe("completed");
    advanceTo(h, 92_000);
    expect(tx.state).toBe("terminated");
    h.layer.receive(busy, GATEWAY);
    expect(h.strays).toHaveLength(1);
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it("moves to Accepted on a 2xx, hands every 2xx up, and ends on Timer M (64*T1)", () => {
    const h = createHarness();
    const req = invite();
    const { tx, r } = start(h, req);
    const ok = responseTo(req, 200, "OK");
    h.layer.receive(ok, GATEWAY);
    expect(tx.state).toBe("accepted");
    advanceTo(h, 1000);
    h.layer.receive(ok, GATEWAY);
    expect(r.responses.map((x) => x.status)).toEqual([200, 200]);
    expect(h.sentAt("INVITE")).toEqual([0]);
    expect(h.sentAt("ACK")).toEqual([]); // the ACK for a 2xx is the TU's (RFC 3261 §13.2.2.4)
    advanceTo(h, 32_000);
    expect(tx.state).toBe("terminated");
    expect(r.timeouts).toBe(0);
    h.layer.receive(ok, GATEWAY);
    expect(h.strays).toHaveLength(1);
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it("never retransmits over TCP, keeps Timer B, and ends at once after a non-2xx (Timer D = 0)", () => {
    const h = createHarness();
    const req = invite("TCP");
    const first = start(h, req, TCP_PEER);
    advanceTo(h, 32_000);
    expect(h.sentAt("INVITE")).toEqual([0]);
    expect(first.r.timeouts).toBe(1);
    const second = start(
      h,
      {
        ...req,
        headers: req.headers.map((x) => (x.key === "via" ? { ...x, value: x.value.replace("out1", "out3") } : x)),
      },
      TCP_PEER,
    );
    h.layer.receive(responseTo(second.tx.request, 503, "Service Unavailable"), TCP_PEER);
    expect(second.tx.state).toBe("terminated");
    expect(h.sent.map((s) => [startLine(s.message), s.to])).toEqual([
      ["INVITE sip:bob@example.com", TCP_PEER],
      ["INVITE sip:bob@example.com", TCP_PEER],
      ["ACK sip:bob@example.com", TCP_PEER],
    ]);
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it("is cancelled by the TU with buildCancel: a transaction of its own on the same branch", () => {
    const h = createHarness();
    const req = invite();
    const inv = start(h, req);
    h.layer.receive(responseTo(req, 180, "Ringing"), GATEWAY);
    const cancel = buildCancel(inv.tx.request);
    const can = start(h, cancel);
    expect(getTopVia(cancel)?.branch).toBe("z9hG4bKout1");
    expect(getHeaderValues(cancel, "cseq")).toEqual(["1 CANCEL"]);
    h.layer.receive(responseTo(cancel, 200, "OK"), GATEWAY);
    h.layer.receive(responseTo(req, 487, "Request Terminated"), GATEWAY);
    expect(can.r.responses.map((x) => x.status)).toEqual([200]);
    expect(inv.r.responses.map((x) => x.status)).toEqual([180, 487]);
    expect(h.sent.map((s) => startLine(s.message))).toEqual([
      "INVITE sip:bob@example.com",
      "CANCEL sip:bob@example.com",
      "ACK sip:bob@example.com",
    ]);
    h.layer.stop();
    expect(h.clock.pendingTimers()).toBe(0);
  });
});

describe("non-INVITE client transaction (RFC 3261 §17.1.2)", () => {
  it("retransmits on Timer E (500, 1000, 2000, 4000, 4000… ms) and times out once on Timer F", () => {
    const h = createHarness();
    const { tx, r } = start(h, options());
    advanceTo(h, 31_999);
    expect(h.sentAt("OPTIONS")).toEqual([0, 500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]);
    advanceTo(h, 32_000);
    expect(r.timeouts).toBe(1);
    expect(tx.state).toBe("terminated");
    advanceTo(h, 100_000);
    expect(r.timeouts).toBe(1);
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it("retransmits every T2 once Proceeding, then waits Timer K (T4) after the final", () => {
    const h = createHarness();
    const req = options();
    const { tx, r } = start(h, req);
    advanceTo(h, 600);
    h.layer.receive(responseTo(req, 100, "Trying", null), GATEWAY);
    expect(tx.state).toBe("proceeding");
    advanceTo(h, 10_000);
    expect(h.sentAt("OPTIONS")).toEqual([0, 500, 1500, 5500, 9500]);
    const ok = responseTo(req, 200, "OK");
    h.layer.receive(ok, GATEWAY);
    expect(tx.state).toBe("completed");
    h.layer.receive(ok, GATEWAY);
    expect(r.responses.map((x) => x.status)).toEqual([100, 200]);
    advanceTo(h, 14_999);
    expect(tx.state).toBe("completed");
    expect(h.sentAt("OPTIONS")).toHaveLength(5);
    advanceTo(h, 15_000);
    expect(tx.state).toBe("terminated");
    expect(r.timeouts).toBe(0);
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it("never retransmits over TCP, keeps Timer F, and ends at once on the final (Timer K = 0)", () => {
    const h = createHarness();
    const req = options("TCP");
    const { tx, r } = start(h, req, TCP_PEER);
    advanceTo(h, 10_000);
    h.layer.receive(responseTo(req, 200, "OK"), TCP_PEER);
    expect(tx.state).toBe("terminated");
    expect(h.sentAt("OPTIONS")).toEqual([0]);
    expect(r.responses).toHaveLength(1);
    expect(h.clock.pendingTimers()).toBe(0);
    const late = start(
      h,
      {
        ...req,
        headers: req.headers.map((x) => (x.key === "via" ? { ...x, value: x.value.replace("out2", "out4") } : x)),
      },
      TCP_PEER,
    );
    advanceTo(h, 41_999);
    expect(late.r.timeouts).toBe(0);
    advanceTo(h, 42_000);
    expect(late.r.timeouts).toBe(1);
    expect(h.sentAt("OPTIONS")).toEqual([0, 10_000]);
  });
});

describe("client matching and sending (RFC 3261 §17.1.3, §8.1.1.7)", () => {
  it("adds a magic-cookie branch when the top Via has none", () => {
    const h = createHarness();
    const req = buildRequest({
      method: "REGISTER",
      uri: "sip:carrier.example.net",
      headers: [
        ["Via", "SIP/2.0/UDP 192.0.2.1:5060;rport"],
        ["From", "<sip:me@example.com>;tag=a"],
        ["To", "<sip:me@example.com>"],
        ["Call-ID", "r1"],
        ["CSeq", "1 REGISTER"],
      ],
    });
    const { tx, r } = start(h, req);
    expect(tx.branch).toMatch(/^z9hG4bK[0-9a-f]{20}$/);
    const sentVia = getTopVia(h.sent[0].message);
    expect(sentVia?.branch).toBe(tx.branch);
    expect(start(h, req).tx.branch).not.toBe(tx.branch);
    h.layer.receive(responseTo(tx.request, 200, "OK"), GATEWAY);
    expect(r.responses).toHaveLength(1);
    h.layer.stop();
  });

  it("matches by branch and CSeq method: anything else is a stray", () => {
    const h = createHarness();
    const req = invite();
    const { r } = start(h, req);
    h.layer.receive(responseTo(request({ branch: "z9hG4bKout1", method: "CANCEL" }), 200, "OK"), GATEWAY);
    h.layer.receive(responseTo(request({ branch: "z9hG4bKelse" }), 200, "OK"), GATEWAY);
    expect(r.responses).toHaveLength(0);
    expect(h.strays).toHaveLength(2);
    expect(h.layer.stats().transactions_stray_responses_total).toBe(2);
    h.layer.stop();
  });

  it("reports a transport error once and stops (RFC 3261 §17.1.4)", () => {
    const h = createHarness();
    const a = start(h, invite("TCP"), TCP_PEER);
    const b = start(h, options("TCP"), { ...TCP_PEER, connectionId: 8 }, recorder(false));
    h.layer.reportTransportError(TCP_PEER);
    h.layer.reportTransportError(TCP_PEER);
    expect(a.r.transportErrors).toBe(1);
    expect(a.tx.state).toBe("terminated");
    expect(b.tx.state).toBe("trying");
    h.layer.reportTransportError({ ...TCP_PEER, connectionId: 8 });
    expect(b.r.timeouts).toBe(1); // without onTransportError the TU hears of it as a timeout
    advanceTo(h, 100_000);
    expect(a.r.timeouts + a.r.transportErrors + b.r.timeouts).toBe(2);
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it("refuses, as caller bugs, an ACK as a transaction and a request with an RFC 2543 branch", () => {
    const h = createHarness();
    expect(() => h.layer.sendRequest(request({ method: "ACK" }), GATEWAY, recorder())).toThrow(TypeError);
    expect(() => h.layer.sendRequest(request({ branch: "old2543" }), GATEWAY, recorder())).toThrow(TypeError);
    expect(h.sent).toHaveLength(0);
    expect(h.layer.stats().transactions_live).toBe(0);
  });
});
