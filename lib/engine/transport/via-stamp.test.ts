import { describe, expect, it } from "vitest";
import { parseDatagram } from "@/lib/engine/sip/parser";
import type { SipRequest } from "@/lib/engine/sip/message";
import { stampTopVia } from "@/lib/engine/transport/via-stamp";

function request(via: string): SipRequest {
  const parsed = parseDatagram(
    Buffer.from(
      `OPTIONS sip:x@h SIP/2.0\r\nVia: ${via}\r\nVia: SIP/2.0/UDP proxy.example;branch=z9hG4bK2\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:x@h>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`,
    ),
  );
  if (!parsed.ok || parsed.message.kind !== "request") throw new Error("bad fixture");
  return parsed.message;
}
const from = { transport: "udp" as const, address: "203.0.113.9", port: 40000 };
const vias = (r: SipRequest) => r.headers.filter((h) => h.key === "via").map((h) => h.value);

describe("stampTopVia", () => {
  it("adds received when the sent-by host is not where the request came from (RFC 3261 §18.2.1)", () => {
    expect(vias(stampTopVia(request("SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1"), from))[0]).toBe(
      "SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1;received=203.0.113.9",
    );
  });
  it("fills an empty rport with the source port and adds received (RFC 3581 §4)", () => {
    expect(vias(stampTopVia(request("SIP/2.0/UDP 203.0.113.9:5060;rport;branch=z9hG4bK1"), from))[0]).toBe(
      "SIP/2.0/UDP 203.0.113.9:5060;rport=40000;branch=z9hG4bK1;received=203.0.113.9",
    );
  });
  it("leaves the request untouched when sent-by is the source and no rport is asked", () => {
    const r = request("SIP/2.0/UDP 203.0.113.9:5060;branch=z9hG4bK1");
    expect(stampTopVia(r, from)).toBe(r);
  });
  it("only touches the top Via", () => {
    expect(vias(stampTopVia(request("SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK1"), from))[1]).toBe(
      "SIP/2.0/UDP proxy.example;branch=z9hG4bK2",
    );
  });
});
