import { describe, expect, it } from "vitest";
import {
  buildLadders,
  digestSummaryOf,
  matchesTrace,
  traceAsText,
  traceStartSchema,
  type TraceMessage,
} from "@/lib/domain/trace";

const PHONE = { remoteAddress: "127.0.0.1", remotePort: 5070 };
let seq = 0;

function register(cseq: number, auth: boolean): TraceMessage {
  const credentials = auth
    ? 'Authorization: Digest username="alice", realm="softswitch.local", nonce="n1", uri="sip:127.0.0.1", response="***", algorithm=MD5, qop=auth, nc=00000001, cnonce="c"\r\n'
    : "";
  const text = `REGISTER sip:127.0.0.1 SIP/2.0\r\nFrom: <sip:alice@127.0.0.1>;tag=1\r\nTo: <sip:alice@127.0.0.1>\r\nCall-ID: reg-1\r\nCSeq: ${cseq} REGISTER\r\n${credentials}Content-Length: 0\r\n\r\n`;
  return {
    id: ++seq,
    seq,
    at: new Date(seq * 1000).toISOString(),
    direction: "in",
    transport: "udp",
    ...PHONE,
    method: "REGISTER",
    status: null,
    cseqMethod: "REGISTER",
    callId: "reg-1",
    text,
  };
}

function answer(status: number, cseq: number): TraceMessage {
  const challenge =
    status === 401
      ? 'WWW-Authenticate: Digest realm="softswitch.local", nonce="n1", algorithm=MD5, qop="auth"\r\n'
      : "";
  const text = `SIP/2.0 ${status} X\r\nFrom: <sip:alice@127.0.0.1>;tag=1\r\nTo: <sip:alice@127.0.0.1>;tag=2\r\nCall-ID: reg-1\r\nCSeq: ${cseq} REGISTER\r\n${challenge}Content-Length: 0\r\n\r\n`;
  return {
    id: ++seq,
    seq,
    at: new Date(seq * 1000).toISOString(),
    direction: "out",
    transport: "udp",
    ...PHONE,
    method: null,
    status,
    cseqMethod: "REGISTER",
    callId: "reg-1",
    text,
  };
}

describe("buildLadders", () => {
  it("draws a right-password registration as one challenge and one retry, no loop", () => {
    const [ladder] = buildLadders([register(1, false), answer(401, 1), register(2, true), answer(200, 2)]);
    expect(ladder.parties).toEqual(["Softswitch", "127.0.0.1:5070"]);
    expect(ladder.arrows.map((a) => [a.from, a.to, a.label, a.challenge, a.credentials])).toEqual([
      ["127.0.0.1:5070", "Softswitch", "REGISTER", false, false],
      ["Softswitch", "127.0.0.1:5070", "401 REGISTER", true, false],
      ["127.0.0.1:5070", "Softswitch", "REGISTER", false, true],
      ["Softswitch", "127.0.0.1:5070", "200 REGISTER", false, false],
    ]);
    expect(ladder).toMatchObject({ challenges: 1, retries: 1, authLoop: false });
  });

  it("flags more than two challenge/retry cycles as an authentication loop", () => {
    const wrong = [
      register(1, false),
      answer(401, 1),
      register(2, true),
      answer(401, 2),
      register(3, true),
      answer(401, 3),
      register(4, true),
    ];
    expect(buildLadders(wrong)[0]).toMatchObject({ challenges: 3, retries: 3, authLoop: true });
    expect(buildLadders(wrong.slice(0, 5))[0].authLoop).toBe(false);
  });
});

describe("digestSummaryOf", () => {
  it("reads username, realm, nonce, algorithm and qop, and has no response field", () => {
    const [summary] = digestSummaryOf(register(2, true).text);
    expect(summary).toEqual({
      header: "Authorization",
      username: "alice",
      realm: "softswitch.local",
      nonce: "n1",
      algorithm: "MD5",
      qop: "auth",
      uri: "sip:127.0.0.1",
    });
    expect(JSON.stringify(summary)).not.toContain("response");
  });
});

describe("matchesTrace", () => {
  const m = register(1, true);
  it("matches on every filter given, and everything when none is", () => {
    expect(matchesTrace({}, m)).toBe(true);
    expect(matchesTrace({ address: "127.0.0.1", method: "REGISTER", callId: "reg-1" }, m)).toBe(true);
    expect(matchesTrace({ address: "127.0.0.2" }, m)).toBe(false);
    expect(matchesTrace({ method: "INVITE" }, m)).toBe(false);
    expect(matchesTrace({ method: "REGISTER" }, answer(401, 1))).toBe(true);
  });
  it("matches a gateway by address or by username, and a number inside a user part", () => {
    expect(matchesTrace({ addresses: ["198.51.100.1"], usernames: ["alice"] }, m)).toBe(true);
    expect(matchesTrace({ addresses: ["127.0.0.1"], usernames: [] }, m)).toBe(true);
    expect(matchesTrace({ addresses: ["198.51.100.1"], usernames: ["bob"] }, m)).toBe(false);
    expect(matchesTrace({ number: "lic" }, m)).toBe(true);
    expect(matchesTrace({ number: "555" }, m)).toBe(false);
  });
});

describe("traceStartSchema", () => {
  it("refuses a bad duration, address or number with a precise message", () => {
    const issues = (input: unknown) => traceStartSchema.safeParse(input).error?.issues.map((i) => i.message);
    expect(issues({ minutes: 0 })).toEqual(["A trace runs for at least 1 minute"]);
    expect(issues({ minutes: 61 })).toEqual(["A trace runs for at most 60 minutes"]);
    expect(issues({ minutes: 5, address: "1.2.3" })).toEqual(['"1.2.3" is not an IPv4 or IPv6 address']);
    expect(issues({ minutes: 5, number: "12a" })).toEqual(["A number has digits only, with an optional leading +"]);
    expect(traceStartSchema.parse({ minutes: 5, address: " 2001:DB8::1 ", method: "register", number: "" })).toEqual({
      minutes: 5,
      address: "2001:db8::1",
      method: "REGISTER",
    });
  });
});

describe("traceAsText", () => {
  it("writes each message with its time, transport and direction", () => {
    const text = traceAsText([register(1, false)], "127.0.0.1:5060");
    expect(text).toMatch(/^#\d+ \S+ UDP 127\.0\.0\.1:5070 -> 127\.0\.0\.1:5060\nREGISTER sip:127\.0\.0\.1 SIP\/2\.0\n/);
  });
});
