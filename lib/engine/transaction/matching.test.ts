import { describe, expect, it } from "vitest";
import { readTorture } from "@/lib/engine/sip/fixture-files";
import type { SipRequest } from "@/lib/engine/sip/message";
import { buildResponse } from "@/lib/engine/sip/response";
import {
  createHarness,
  parse,
  request,
  startLine,
  UDP_PEER,
  type Harness,
} from "@/lib/engine/transaction/test-harness";

function toTagOf(h: Harness): string {
  const to = h.sent[h.sent.length - 1].message.headers.find((x) => x.key === "to")?.value ?? "";
  return /;tag=([^;]+)/.exec(to)?.[1] ?? "";
}

/** The torture message with its top Via line (and only that) replaced by `via`. */
function withTopVia(name: string, via: string): SipRequest {
  const text = readTorture(name).toString("latin1");
  return parse(Buffer.from(text.replace(/^Via: [^\r]*/m, `Via: ${via}`), "latin1")) as SipRequest;
}

describe("server transaction matching (RFC 3261 §17.2.3)", () => {
  it("tells transactions apart by branch, sent-by and method", () => {
    const h = createHarness();
    h.layer.receive(request({ method: "OPTIONS" }), UDP_PEER);
    h.layer.receive(request({ method: "OPTIONS", branch: "z9hG4bKother" }), UDP_PEER);
    h.layer.receive(request({ method: "OPTIONS", sentBy: "192.0.2.99:5062" }), UDP_PEER);
    h.layer.receive(request({ method: "INFO" }), UDP_PEER);
    expect(h.requests).toHaveLength(4);
    // the branch and the host compare case-insensitively (RFC 3261 §7.3.1), the method does not (§7.1)
    h.layer.receive(request({ method: "OPTIONS", branch: "z9hG4bKABC123" }), UDP_PEER);
    h.layer.receive(
      request({ method: "OPTIONS", branch: "z9hG4bKnamed", sentBy: "Client.Example.com:5062" }),
      UDP_PEER,
    );
    h.layer.receive(
      request({ method: "OPTIONS", branch: "z9hG4bKnamed", sentBy: "client.example.COM:5062" }),
      UDP_PEER,
    );
    expect(h.requests).toHaveLength(5);
    h.layer.stop();
  });

  it("gives a CANCEL its own transaction and finds the INVITE it names", () => {
    const h = createHarness();
    const invite = request();
    h.layer.receive(invite, UDP_PEER);
    const inviteTx = h.requests[0].tx;
    inviteTx.respond(buildResponse(invite, 180, "Ringing"));
    const cancel = request({ method: "CANCEL" });
    h.layer.receive(cancel, UDP_PEER);
    expect(h.requests.map((r) => r.request.method)).toEqual(["INVITE", "CANCEL"]);
    const cancelTx = h.requests[1].tx;
    expect(cancelTx).not.toBe(inviteTx);
    const found = h.layer.findInviteServerTransaction(cancel);
    expect(found).toBe(inviteTx);
    // the core's part (RFC 3261 §9.2): 200 to the CANCEL, 487 to the INVITE
    cancelTx.respond(buildResponse(cancel, 200, "OK"));
    found?.respond(buildResponse(found.request, 487, "Request Terminated"));
    expect(h.sent.map((s) => startLine(s.message))).toEqual(["180 Ringing", "200 OK", "487 Request Terminated"]);
    expect(h.sent[2].message.headers.find((x) => x.key === "cseq")?.value).toBe("1 INVITE");
    // a retransmitted CANCEL gets its 200 again and is not handed up
    h.layer.receive(cancel, UDP_PEER);
    expect(h.requests).toHaveLength(2);
    expect(startLine(h.sent[3].message)).toBe("200 OK");
    // the ACK for the 487 is absorbed by the INVITE transaction
    h.layer.receive(request({ method: "ACK", toTag: toTagOf(h) }), UDP_PEER);
    expect(found?.state).toBe("confirmed");
    expect(h.acks).toHaveLength(0);
    h.layer.stop();
  });

  it("finds no INVITE for a CANCEL naming none", () => {
    const h = createHarness();
    h.layer.receive(request(), UDP_PEER);
    expect(h.layer.findInviteServerTransaction(request({ method: "CANCEL", branch: "z9hG4bKnone" }))).toBeUndefined();
    const options = request({ method: "OPTIONS", branch: "z9hG4bKopt" });
    h.layer.receive(options, UDP_PEER);
    expect(h.layer.findInviteServerTransaction(request({ method: "CANCEL", branch: "z9hG4bKopt" }))).toBeUndefined();
    h.layer.stop();
  });

  it("passes up an ACK that matches nothing (a 2xx ACK after its transaction ended)", () => {
    const h = createHarness();
    const ack = request({ method: "ACK", toTag: "x1" });
    h.layer.receive(ack, UDP_PEER);
    expect(h.acks).toEqual([ack]);
    expect(h.requests).toHaveLength(0);
  });
});

describe("RFC 2543 fallback matching (RFC 3261 §17.2.3, RFC 4475 §3.4.1, §3.2.1)", () => {
  it("absorbs a retransmitted inv2543 and matches its ACK by Request-URI, tags, Call-ID, CSeq and Via", () => {
    const h = createHarness();
    const invite = parse(readTorture("inv2543")) as SipRequest;
    h.layer.receive(invite, UDP_PEER);
    h.layer.receive(parse(readTorture("inv2543")), UDP_PEER);
    expect(h.requests).toHaveLength(1);
    const tx = h.requests[0].tx;
    tx.respond(buildResponse(invite, 486, "Busy Here"));
    h.layer.receive(invite, UDP_PEER);
    expect(h.sent.map((s) => startLine(s.message))).toEqual(["486 Busy Here", "486 Busy Here"]);
    const tag = toTagOf(h);
    const ack = (toTag: string, cseq = "56 ACK") =>
      parse(
        [
          "ACK sip:UserB@example.com SIP/2.0",
          "Via: SIP/2.0/UDP iftgw.example.com",
          "From: <sip:+13035551111@ift.client.example.net;user=phone>",
          `To: sip:+16505552222@ss1.example.net;user=phone;tag=${toTag}`,
          "Call-ID: inv2543.1717@ift.client.example.com",
          `CSeq: ${cseq}`,
          "",
          "",
        ].join("\r\n"),
      ) as SipRequest;
    // wrong To tag, or another CSeq: not this transaction's ACK
    h.layer.receive(ack("not-ours"), UDP_PEER);
    h.layer.receive(ack(tag, "57 ACK"), UDP_PEER);
    expect(h.acks).toHaveLength(2);
    expect(tx.state).toBe("completed");
    h.layer.receive(ack(tag), UDP_PEER);
    expect(tx.state).toBe("confirmed");
    expect(h.acks).toHaveLength(2);
    h.layer.stop();
  });

  it("tells RFC 2543 requests apart by Request-URI, top Via and To tag", () => {
    const h = createHarness();
    const invite = parse(readTorture("inv2543")) as SipRequest;
    h.layer.receive(invite, UDP_PEER);
    h.layer.receive({ ...invite, uri: "sip:UserC@example.com" }, UDP_PEER);
    h.layer.receive(withTopVia("inv2543", "SIP/2.0/UDP other.example.com"), UDP_PEER);
    const text = readTorture("inv2543")
      .toString("latin1")
      .replace("user=phone\r\nCall-ID", "user=phone;tag=dlg1\r\nCall-ID");
    h.layer.receive(parse(Buffer.from(text, "latin1")), UDP_PEER);
    expect(h.requests).toHaveLength(4);
    h.layer.stop();
  });

  it("falls back for badbranch (a branch that is only the magic cookie)", () => {
    const h = createHarness();
    const options = parse(readTorture("badbranch")) as SipRequest;
    h.layer.receive(options, UDP_PEER);
    h.requests[0].tx.respond(buildResponse(options, 200, "OK"));
    h.layer.receive(parse(readTorture("badbranch")), UDP_PEER);
    expect(h.requests).toHaveLength(1);
    expect(h.sent.map((s) => startLine(s.message))).toEqual(["200 OK", "200 OK"]);
    // another request with the same bare-cookie branch but its own CSeq is a new transaction
    const next = readTorture("badbranch").toString("latin1").replace("CSeq: 8 OPTIONS", "CSeq: 9 OPTIONS");
    h.layer.receive(parse(Buffer.from(next, "latin1")), UDP_PEER);
    expect(h.requests).toHaveLength(2);
    h.layer.stop();
  });

  it("passes up an RFC 2543 ACK for a 2xx and stops retransmitting the 2xx", () => {
    const h = createHarness();
    const invite = parse(readTorture("inv2543")) as SipRequest;
    h.layer.receive(invite, UDP_PEER);
    h.requests[0].tx.respond(buildResponse(invite, 200, "OK"));
    const tag = toTagOf(h);
    const text = readTorture("inv2543")
      .toString("latin1")
      .replace("INVITE sip:", "ACK sip:")
      .replace("56 INVITE", "56 ACK")
      .replace("user=phone\r\nCall-ID", `user=phone;tag=${tag}\r\nCall-ID`);
    h.layer.receive(parse(Buffer.from(text, "latin1")), UDP_PEER);
    expect(h.acks).toHaveLength(1);
    h.clock.advance(40_000);
    expect(h.sent.map((s) => startLine(s.message))).toEqual(["200 OK"]);
    expect(h.ackTimeouts).toHaveLength(0);
    expect(h.clock.pendingTimers()).toBe(0);
  });
});
