import { describe, expect, it } from "vitest";
import { traceAsPcap } from "@/lib/server/pcap";
import type { TraceMessage } from "@/lib/domain/trace";

const text = "OPTIONS sip:127.0.0.1 SIP/2.0\r\nCall-ID: a\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
const message = (over: Partial<TraceMessage>): TraceMessage => ({
  id: 1,
  seq: 1,
  at: "2026-11-25T10:00:00.250Z",
  direction: "in",
  transport: "udp",
  remoteAddress: "192.0.2.7",
  remotePort: 5070,
  method: "OPTIONS",
  status: null,
  cseqMethod: "OPTIONS",
  callId: "a",
  text,
  ...over,
});

describe("traceAsPcap", () => {
  it("writes a pcap header and one raw IPv4/UDP packet per UDP message", () => {
    const pcap = traceAsPcap([message({})], { address: "0.0.0.0", port: 5060 });
    expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(pcap.readUInt32LE(20)).toBe(101);
    const record = pcap.subarray(24);
    expect(record.readUInt32LE(0)).toBe(Date.parse("2026-11-25T10:00:00Z") / 1000);
    expect(record.readUInt32LE(4)).toBe(250_000);
    const packet = record.subarray(16);
    expect(record.readUInt32LE(8)).toBe(packet.length);
    expect(packet[0]).toBe(0x45);
    expect(packet[9]).toBe(17);
    expect([...packet.subarray(12, 16)]).toEqual([192, 0, 2, 7]);
    expect([...packet.subarray(16, 20)]).toEqual([127, 0, 0, 1]);
    expect(packet.readUInt16BE(20)).toBe(5070);
    expect(packet.readUInt16BE(22)).toBe(5060);
    expect(packet.subarray(28).toString("latin1")).toBe(text);
  });

  it("writes IPv6 and TCP with sequence numbers that continue per direction", () => {
    const pcap = traceAsPcap(
      [
        message({ transport: "tcp", remoteAddress: "2001:db8::7" }),
        message({ transport: "tcp", remoteAddress: "2001:db8::7" }),
      ],
      { address: "::", port: 5060 },
    );
    const first = pcap.subarray(24 + 16);
    expect(first[0] >> 4).toBe(6);
    expect(first[6]).toBe(6);
    expect(first.subarray(8, 24).toString("hex")).toBe("20010db8000000000000000000000007");
    const secondRecord = pcap.subarray(24 + 16 + first.readUInt16BE(4) + 40);
    const second = secondRecord.subarray(16);
    expect(first.readUInt32BE(40 + 4)).toBe(1);
    expect(second.readUInt32BE(40 + 4)).toBe(1 + text.length);
  });
});
