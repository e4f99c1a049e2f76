import { describe, expect, it } from "vitest";
import { FakeClock } from "@/lib/engine/clock";
import type { SipRequest } from "@/lib/engine/sip/message";
import { parseDatagram } from "@/lib/engine/sip/parser";
import { IllegalCallRecorder } from "@/lib/engine/cdr/illegal-calls";
import type { CdrDraft } from "@/lib/engine/cdr/cdr-journal";

const FROM = { transport: "udp" as const, address: "192.0.2.66", port: 5060 };

function invite(callId = "x@y", toTag = ""): SipRequest {
  const text = [
    "INVITE sip:0044123@198.51.100.1 SIP/2.0",
    "Via: SIP/2.0/UDP 192.0.2.66:5060;branch=z9hG4bKa",
    "Max-Forwards: 70",
    "From: <sip:666@192.0.2.66>;tag=t",
    `To: <sip:0044123@198.51.100.1>${toTag}`,
    `Call-ID: ${callId}`,
    "CSeq: 1 INVITE",
    "Content-Length: 0",
    "",
    "",
  ].join("\r\n");
  const parsed = parseDatagram(Buffer.from(text));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.message as SipRequest;
}

function setup(enabled = true) {
  const clock = new FakeClock();
  const written: CdrDraft[] = [];
  const recorder = new IllegalCallRecorder(clock, { open: () => undefined, write: (d) => written.push(d) }, () => ({
    enabled,
    configVersion: 4,
  }));
  return { clock, written, recorder };
}

describe("illegal call records (SERVER_BILLING_RECORD_ILLEGAL_CALL)", () => {
  it("records a refused INVITE once, however often its sender retransmits it", () => {
    const t = setup();
    t.recorder.refused(invite(), FROM, 0, "Unknown Source");
    t.clock.advance(4_000);
    t.recorder.refused(invite(), FROM, 0, "Unknown Source");
    expect(t.written).toEqual([
      expect.objectContaining({
        illegal: true,
        finalCode: 0,
        endedBy: "server",
        callerReceived: "666",
        calleeReceived: "0044123",
        sourceAddress: "192.0.2.66:5060",
        configVersion: 4,
        callId: "x@y",
      }),
    ]);
    t.recorder.refused(invite("other@y"), FROM, 403, "Forbidden");
    expect(t.written).toHaveLength(2);
  });

  it("records nothing when the parameter is off, nor for requests inside a dialog", () => {
    const off = setup(false);
    off.recorder.refused(invite(), FROM, 403, "Forbidden");
    expect(off.written).toEqual([]);
    const on = setup();
    on.recorder.refused(invite("x@y", ";tag=abc"), FROM, 403, "Forbidden");
    expect(on.written).toEqual([]);
  });
});
