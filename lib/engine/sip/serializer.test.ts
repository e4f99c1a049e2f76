import { describe, expect, it } from "vitest";
import { getContacts, getCSeq, getFrom, getTo, getVias } from "@/lib/engine/sip/accessors";
import { classifyRequest } from "@/lib/engine/sip/classify";
import {
  listTortureNames,
  readExpectations,
  readTorture,
  SAMPLE_INVITE,
  SAMPLE_REGISTER,
} from "@/lib/engine/sip/fixture-files";
import { getHeader, getHeaderValues } from "@/lib/engine/sip/header-access";
import type { SipMessage } from "@/lib/engine/sip/message";
import { parseDatagram } from "@/lib/engine/sip/parser";
import { buildResponse, toTagFor } from "@/lib/engine/sip/response";
import { buildRequest, serializeMessage } from "@/lib/engine/sip/serializer";

function parse(bytes: Buffer): SipMessage {
  const parsed = parseDatagram(bytes);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.message;
}

/** What a peer would notice: start line, headers (Content-Length aside), body, and the parsed views. */
function structure(message: SipMessage) {
  const { body, headers, ...line } = message;
  return {
    line,
    headers: headers.filter((h) => h.key !== "content-length"),
    body: body.toString("hex"),
    vias: getVias(message),
    from: getFrom(message),
    to: getTo(message),
    cseq: getCSeq(message),
    contacts: getContacts(message),
  };
}

const processed = listTortureNames().filter(
  (name) => classifyRequest(parseDatagram(readTorture(name))).action === "process",
);

describe("serializeMessage round trip", () => {
  it("covers every valid RFC 4475 message", () => {
    const valid = readExpectations()
      .filter((row) => row.valid)
      .map((row) => row.name);
    expect(valid).toHaveLength(20);
    expect(processed).toEqual(expect.arrayContaining(valid));
  });

  it.each(processed)("%s: parse, serialize, parse gives the same structure", (name) => {
    const first = parse(readTorture(name));
    const bytes = serializeMessage(first);
    const second = parse(bytes);
    expect(structure(second)).toEqual(structure(first));
    expect(serializeMessage(second).equals(bytes)).toBe(true);
    expect(getHeader(second, "content-length")).toBe(String(first.body.length));
  });

  it.each([
    ["REGISTER", SAMPLE_REGISTER],
    ["INVITE", SAMPLE_INVITE],
  ])("handwritten %s round-trips and classes as process", (_method, sample) => {
    const first = parse(sample);
    expect(classifyRequest(parseDatagram(sample)).action).toBe("process");
    expect(structure(parse(serializeMessage(first)))).toEqual(structure(first));
  });

  it("an unfolded sample serializes to the very bytes received", () => {
    expect(serializeMessage(parse(SAMPLE_INVITE)).equals(SAMPLE_INVITE)).toBe(true);
  });

  it("builds a request with the right Content-Length and no header injection", () => {
    const request = buildRequest({
      method: "MESSAGE",
      uri: "sip:bob@example.com",
      headers: [
        ["Via", "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKabc"],
        ["From", "<sip:alice@example.com>;tag=1"],
        ["To", "<sip:bob@example.com>"],
        ["Call-ID", "x@y"],
        ["CSeq", "1 MESSAGE"],
        ["Subject", "hi\r\nVia: SIP/2.0/UDP evil.example.com"],
      ],
      body: Buffer.from("héllo\0", "utf8"),
    });
    const bytes = serializeMessage(request);
    const back = parse(bytes);
    expect(getHeader(back, "content-length")).toBe("7");
    expect(back.body.equals(Buffer.from("héllo\0", "utf8"))).toBe(true);
    expect(getHeaderValues(back, "via")).toHaveLength(1);
    expect(getHeader(back, "subject")).toBe("hi Via: SIP/2.0/UDP evil.example.com");
  });
});

describe("buildResponse (RFC 3261 §8.2.6)", () => {
  const register = parse(SAMPLE_REGISTER);

  it("copies Via values in order, From, To, Call-ID and CSeq, and nothing else", () => {
    const response = buildResponse(register, 200, "OK", [["Expires", "3600"]]);
    expect(response.headers.map((h) => h.key)).toEqual(["via", "via", "from", "to", "call-id", "cseq", "expires"]);
    expect(getHeaderValues(response, "via")).toEqual(getHeaderValues(register, "via"));
    for (const name of ["from", "call-id", "cseq"]) expect(getHeader(response, name)).toBe(getHeader(register, name));
    const back = parse(serializeMessage(response));
    expect(back.kind === "response" && [back.status, back.reason]).toEqual([200, "OK"]);
    expect(getHeader(back, "content-length")).toBe("0");
  });

  it("adds a To tag above 100, stable for the same request, kept when present", () => {
    const ok = buildResponse(register, 200, "OK");
    const tag = getTo(ok)?.tag;
    expect(tag).toMatch(/^[0-9a-f]{16}$/);
    expect(getTo(buildResponse(register, 401, "Unauthorized"))?.tag).toBe(tag);
    expect(getTo(ok)?.uri).toEqual(getTo(register)?.uri);
    expect(getTo(buildResponse(register, 100, "Trying"))?.tag).toBeNull();
    expect(getTo(buildResponse(register, 200, "OK", [], { toTag: "abc" }))?.tag).toBe("abc");
    const tagged = parse(serializeMessage(ok));
    expect(getTo(buildResponse(tagged, 200, "OK"))?.tag).toBe(tag);
  });

  it("gives a CANCEL's response the To tag of its INVITE's (§9.2)", () => {
    const invite = parse(SAMPLE_INVITE);
    const cancel = parse(
      serializeMessage({
        ...invite,
        method: "CANCEL",
        headers: invite.headers.map((h) => (h.key === "cseq" ? { ...h, value: "1 CANCEL" } : h)),
        body: Buffer.alloc(0),
      } as SipMessage),
    );
    expect(toTagFor(cancel)).toBe(toTagFor(invite));
  });

  it("answers a parse failure with 400 from the header lines it could split", () => {
    const parsed = parseDatagram(readTorture("clerr"));
    const verdict = classifyRequest(parsed);
    if (verdict.action !== "reject") throw new Error("expected a reject");
    const response = parse(serializeMessage(buildResponse(verdict.request, verdict.status, verdict.reason)));
    expect(response.kind === "response" && response.status).toBe(400);
    expect(getHeader(response, "call-id")).toBe("clerr.0ha0isndaksdjweiafasdk3");
    expect(getTo(response)?.tag).toMatch(/^[0-9a-f]{16}$/);
  });

  it("echoes an unparseable To untouched rather than tagging inside its quotes", () => {
    const verdict = classifyRequest(parseDatagram(readTorture("quotbal")));
    if (verdict.action !== "reject") throw new Error("expected a reject");
    const response = buildResponse(verdict.request, 400, verdict.reason);
    expect(getHeader(response, "to")).toBe('"Mr. J. User <sip:j.user@example.com>');
  });
});
