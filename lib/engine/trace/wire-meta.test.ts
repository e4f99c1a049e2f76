import { describe, expect, it } from "vitest";
import { wireMetaOf } from "@/lib/engine/trace/wire-meta";

describe("wireMetaOf", () => {
  it("reads the status and Call-ID of a response", () => {
    expect(
      wireMetaOf(Buffer.from("SIP/2.0 407 Proxy Authentication Required\r\nVia: x\r\nCall-ID: abc@host\r\n\r\n")),
    ).toEqual({ method: null, status: 407, callId: "abc@host" });
  });
  it("reads the method and a compact Call-ID of a request", () => {
    expect(wireMetaOf(Buffer.from("INVITE sip:1@h SIP/2.0\r\ni: xyz\r\nContent-Length: 0\r\n\r\n"))).toEqual({
      method: "INVITE",
      status: null,
      callId: "xyz",
    });
  });
  it("does not take a Call-ID from the body", () => {
    expect(wireMetaOf(Buffer.from("SIP/2.0 200 OK\r\nCSeq: 1 OPTIONS\r\n\r\nCall-ID: body")).callId).toBeNull();
  });
});
