import { describe, expect, it } from "vitest";
import { maskDigestResponses, TraceRing } from "@/lib/engine/trace/trace-ring";

const remote = { transport: "udp" as const, address: "192.0.2.1", port: 5060 };
const meta = { method: "REGISTER", status: null, callId: "abc" };

describe("maskDigestResponses", () => {
  it("masks the response value of Authorization and Proxy-Authorization, keeping the rest", () => {
    const text =
      'REGISTER sip:x SIP/2.0\r\nAuthorization: Digest username="alice", realm="r", nonce="n", uri="sip:x", response="6629fae49393a05397450978507c4ef1"\r\nProxy-Authorization: Digest response=abcdef, username="bob"\r\n\r\n';
    const masked = maskDigestResponses(Buffer.from(text, "latin1")).toString("latin1");
    expect(masked).not.toContain("6629fae49393a05397450978507c4ef1");
    expect(masked).not.toContain("abcdef");
    expect(masked).toContain('username="alice", realm="r", nonce="n", uri="sip:x", response="***"');
    expect(masked).toContain('Proxy-Authorization: Digest response="***", username="bob"');
  });

  it("returns the same buffer when there is nothing to mask (no copy on the hot path)", () => {
    const bytes = Buffer.from("OPTIONS sip:x SIP/2.0\r\n\r\n");
    expect(maskDigestResponses(bytes)).toBe(bytes);
  });
});

describe("TraceRing", () => {
  it("keeps only the newest records when full, oldest first", () => {
    const ring = new TraceRing(3);
    for (let i = 1; i <= 5; i++) ring.capture("in", remote, Buffer.from(`m${i}`), meta, i * 1000);
    const records = ring.query({ limit: 10 });
    expect(records.map((r) => r.text)).toEqual(["m3", "m4", "m5"]);
    expect(records.map((r) => r.seq)).toEqual([3, 4, 5]);
    expect(ring.size).toBe(3);
  });

  it("filters by address, Call-ID, method and sequence", () => {
    const ring = new TraceRing(10);
    ring.capture("in", remote, Buffer.from("a"), meta, 1);
    ring.capture(
      "out",
      { ...remote, address: "192.0.2.9" },
      Buffer.from("b"),
      { method: "INVITE", status: 407, callId: "xyz" },
      2,
    );
    ring.capture("in", remote, Buffer.from("c"), { method: "OPTIONS", status: null, callId: "abc" }, 3);
    expect(ring.query({ address: "192.0.2.9", limit: 10 }).map((r) => r.text)).toEqual(["b"]);
    expect(ring.query({ callId: "abc", limit: 10 }).map((r) => r.text)).toEqual(["a", "c"]);
    expect(ring.query({ method: "options", limit: 10 }).map((r) => r.text)).toEqual(["c"]);
    expect(ring.query({ sinceSeq: 2, limit: 10 }).map((r) => r.text)).toEqual(["c"]);
    expect(ring.query({ limit: 1 }).map((r) => r.text)).toEqual(["c"]);
  });
});
