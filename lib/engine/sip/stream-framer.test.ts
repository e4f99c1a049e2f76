import { describe, expect, it } from "vitest";
import { getCSeq } from "@/lib/engine/sip/accessors";
import { listTortureNames, readTorture, SAMPLE_INVITE, SAMPLE_REGISTER } from "@/lib/engine/sip/fixture-files";
import type { SipMessage } from "@/lib/engine/sip/message";
import { frameStream, type FrameResult } from "@/lib/engine/sip/stream-framer";

function messageOf(result: FrameResult): SipMessage {
  if (result.kind !== "message" || !result.parsed.ok) throw new Error(`no message: ${JSON.stringify(result)}`);
  return result.parsed.message;
}

/** Feeds `bytes` in chunks as a TCP connection would, collecting every framed result. */
function feed(bytes: Buffer, chunk: number): FrameResult[] {
  const results: FrameResult[] = [];
  let pending = Buffer.alloc(0);
  for (let at = 0; at < bytes.length; at += chunk) {
    pending = Buffer.concat([pending, bytes.subarray(at, at + chunk)]);
    for (;;) {
      const result = frameStream(pending);
      if (result.kind === "need-more") {
        pending = pending.subarray(result.consumed);
        break;
      }
      results.push(result);
      if (result.kind === "error") return results;
      pending = pending.subarray(result.consumed);
    }
  }
  return results;
}

describe("frameStream (TCP framing by Content-Length)", () => {
  it("dblreq: the trailing INVITE is a second message", () => {
    const bytes = readTorture("dblreq");
    const first = frameStream(bytes);
    expect(messageOf(first).kind === "request" && (messageOf(first) as { method: string }).method).toBe("REGISTER");
    expect(messageOf(first).body).toHaveLength(0);
    const rest = bytes.subarray(first.kind === "message" ? first.consumed : 0);
    const second = frameStream(rest);
    const invite = messageOf(second);
    expect(invite.kind === "request" && invite.method).toBe("INVITE");
    expect(getCSeq(invite)).toEqual({ number: 8, method: "INVITE" });
    expect(invite.body).toHaveLength(150);
    // The 5 octets the archive leaves after the INVITE's 150-byte body cannot be framed.
    const tail = rest.subarray(second.kind === "message" ? second.consumed : 0);
    expect(tail).toHaveLength(5);
    expect(frameStream(tail).kind).toBe("error");
  });

  it("clerr: a Content-Length beyond the bytes received waits for more", () => {
    const bytes = readTorture("clerr");
    const result = frameStream(bytes);
    expect(result).toEqual({ kind: "need-more", consumed: 0, needed: bytes.indexOf("\r\n\r\n") + 4 + 9999 });
  });

  it.each([
    ["ncl", "Bad Content-Length"],
    ["mcl01", "Conflicting Content-Length values"],
    ["inv2543", "Missing Content-Length on a stream"],
  ])("%s is a framing error: %s", (name, reason) => {
    const result = frameStream(readTorture(name));
    expect(result.kind).toBe("error");
    expect(result.kind === "error" && result.reason).toBe(reason);
    expect(result.kind === "error" && result.headers.length).toBeGreaterThan(0);
  });

  it("a framed message whose head is malformed is still a message, to answer 400 and carry on", () => {
    const result = frameStream(readTorture("lwsruri"));
    expect(result.kind).toBe("message");
    expect(result.kind === "message" && !result.parsed.ok && result.parsed.reason).toBe("Whitespace in Request-URI");
  });

  it("skips keep-alive CRLFs before a message", () => {
    expect(frameStream(Buffer.from("\r\n\r\n"))).toEqual({ kind: "need-more", consumed: 4, needed: null });
    const result = frameStream(Buffer.concat([Buffer.from("\r\n\r\n\r\n"), SAMPLE_REGISTER]));
    expect(result.kind === "message" && result.consumed).toBe(6 + SAMPLE_REGISTER.length);
  });

  it("refuses a header section past the limit, terminated or not", () => {
    const huge = Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\nX-Pad: ${"a".repeat(20_000)}`);
    expect(frameStream(huge).kind).toBe("error");
    expect(frameStream(Buffer.concat([huge, Buffer.from("\r\n\r\n")])).kind).toBe("error");
    expect(frameStream(huge.subarray(0, 1000)).kind).toBe("need-more");
    const bigBody = Buffer.from("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 100000\r\n\r\n");
    expect(frameStream(bigBody)).toMatchObject({ kind: "error", reason: "Message body too large" });
  });

  const streamable = listTortureNames().filter((name) => {
    const whole = frameStream(readTorture(name));
    return whole.kind === "message" && whole.parsed.ok;
  });

  it.each(streamable)("%s split into 1-byte chunks reassembles identically", (name) => {
    const bytes = readTorture(name);
    const whole = frameStream(bytes);
    const pieces = feed(bytes, 1);
    expect(pieces[0]).toEqual(whole);
    expect(messageOf(pieces[0]).body.equals(messageOf(whole).body)).toBe(true);
  });

  it("two sample messages back to back, fed in odd chunks, come out in order", () => {
    const stream = Buffer.concat([SAMPLE_REGISTER, SAMPLE_INVITE, SAMPLE_REGISTER]);
    for (const chunk of [1, 7, 64, stream.length]) {
      const methods = feed(stream, chunk).map((r) => {
        const m = messageOf(r);
        return m.kind === "request" ? m.method : "response";
      });
      expect(methods).toEqual(["REGISTER", "INVITE", "REGISTER"]);
    }
  });
});
