import { describe, expect, it } from "vitest";
import {
  getAuthorizations,
  getCallId,
  getContacts,
  getContentType,
  getCSeq,
  getExpires,
  getFrom,
  getProxyRequire,
  getRequestUri,
  getRequire,
  getSupported,
  getTo,
  getTopVia,
  getVias,
} from "@/lib/engine/sip/accessors";
import { classifyRequest } from "@/lib/engine/sip/classify";
import { SAMPLE_INVITE, SAMPLE_REGISTER } from "@/lib/engine/sip/fixture-files";
import { getHeader, getHeaderList, getHeaderValues } from "@/lib/engine/sip/header-access";
import type { SipMessage } from "@/lib/engine/sip/message";
import { parseDatagram } from "@/lib/engine/sip/parser";
import { acceptsMediaType, unsupportedRequire } from "@/lib/engine/sip/support";
import { isRfc3261Branch } from "@/lib/engine/sip/via";

const lines = (...text: string[]): Buffer => Buffer.from(text.join("\r\n"), "utf8");

function parse(bytes: Buffer): SipMessage {
  const parsed = parseDatagram(bytes);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.message;
}

const OPTIONS_HEAD = [
  "OPTIONS sip:bob@[2001:db8::5]:5070;transport=tcp SIP/2.0",
  "Via: SIP/2.0/TCP [2001:db8::1]:5060;branch=z9hG4bKa1;received=2001:db8::99;rport=40000",
  "From: <sip:a@example.com>;tag=1",
  "To: <sip:bob@example.com>",
  "Call-ID: c1",
  "CSeq: 7 OPTIONS",
];

describe("parseDatagram and the accessors", () => {
  it("reads the sample REGISTER: compact names, IPv6, quoted commas, folded Contact list", () => {
    const message = parse(SAMPLE_REGISTER);
    expect(getHeader(message, "CALL-ID")).toBe("a84b4c76e66710@pc33.example.com");
    expect(getHeader(message, "i")).toBe(getCallId(message));
    expect(getFrom(message)?.displayName).toBe('Alice, the "first"');
    expect(getTopVia(message)).toMatchObject({
      transport: "UDP",
      host: "[2001:db8::1]",
      port: 5062,
      rport: true,
      branch: "z9hG4bK776asdhds",
    });
    expect(getVias(message)?.[1]).toMatchObject({ received: "192.0.2.99", rport: null, port: 5060 });
    const contacts = getContacts(message);
    expect(contacts?.wildcard).toBe(false);
    if (contacts?.wildcard !== false) return;
    expect(contacts.contacts.map((c) => [c.uri.kind === "sip" && c.uri.host, c.expires, c.q])).toEqual([
      ["[2001:db8::1]", 3600, 0.7],
      ["192.0.2.4", 60, null],
    ]);
    const ruri = getRequestUri(message as SipMessage & { kind: "request" });
    expect(ruri).toMatchObject({ kind: "sip", host: "[2001:db8::10]", port: 5060, user: null });
    expect(getSupported(message)).toEqual(["path", "gruu"]);
    expect(getExpires(message)).toBe(7200);
    expect(getAuthorizations(message)).toHaveLength(1);
    expect(getAuthorizations(message)[0]).toContain('realm="example.com", nonce="abc"');
  });

  it("reads the sample INVITE: body, Content-Type, Route, Supported", () => {
    const message = parse(SAMPLE_INVITE);
    expect(getContentType(message)).toEqual({ type: "application", subtype: "sdp", params: [] });
    expect(message.body.toString().startsWith("v=0\r\n")).toBe(true);
    expect(getHeaderList(message, "supported")).toEqual(["100rel", "timer"]);
    expect(getCSeq(message)).toEqual({ number: 1, method: "INVITE" });
    expect(acceptsMediaType(message, "application/sdp")).toBe(true);
  });

  it("reads IPv6 references, received and rport values", () => {
    const message = parse(lines(...OPTIONS_HEAD, "Content-Length: 0", "", ""));
    expect(getTopVia(message)).toMatchObject({
      host: "[2001:db8::1]",
      port: 5060,
      received: "2001:db8::99",
      rport: 40000,
    });
    expect(getRequestUri(message as SipMessage & { kind: "request" })).toMatchObject({
      host: "[2001:db8::5]",
      port: 5070,
      params: [{ name: "transport", value: "tcp" }],
    });
    expect(classifyRequest(parseDatagram(lines(...OPTIONS_HEAD, "Content-Length: 0", "", ""))).action).toBe("process");
  });

  it("splits list headers on commas outside quotes and < >, across lines", () => {
    const message = parse(
      lines(...OPTIONS_HEAD, 'Contact: "Doe, John" <sip:j,k@h;x=1>, <sip:k@h>', "m: sip:l@h;expires=5", "l: 0", "", ""),
    );
    const contacts = getContacts(message);
    expect(contacts?.wildcard === false && contacts.contacts.map((c) => c.displayName)).toEqual([
      "Doe, John",
      null,
      null,
    ]);
    expect(getHeaderValues(message, "contact")).toHaveLength(2);
  });

  it("frames UDP bodies by Content-Length, equal duplicates allowed, none meaning the rest", () => {
    const twice = parse(lines(...OPTIONS_HEAD, "Content-Length: 3", "l: 003", "", "abcdef"));
    expect(twice.body.toString()).toBe("abc");
    expect(parse(lines(...OPTIONS_HEAD, "", "abc\0def")).body.toString("latin1")).toBe("abc\0def");
    const short = parseDatagram(lines(...OPTIONS_HEAD, "Content-Length: 30", "", "abc"));
    expect(short.ok).toBe(false);
  });

  it("turns keep-alives, garbage and truncation into failures, never exceptions", () => {
    expect(parseDatagram(Buffer.from("\r\n\r\n"))).toMatchObject({ ok: false, reason: "Empty message" });
    expect(parseDatagram(Buffer.alloc(0))).toMatchObject({ ok: false });
    expect(parseDatagram(Buffer.from([0xff, 0xfe, 0, 13, 10, 13, 10]))).toMatchObject({ ok: false, kind: "unknown" });
    expect(parseDatagram(lines("OPTIONS sip:a@b SIP/2.0", "Via: SIP/2.0/UDP h"))).toMatchObject({
      ok: false,
      reason: "Truncated header section",
    });
    expect(parseDatagram(lines("OPTIONS sip:a@b SIP/2.0", " folded", "", ""))).toMatchObject({
      ok: false,
      kind: "request",
    });
  });

  it("keeps header text as UTF-8 and refuses nothing for non-UTF-8 bytes in values", () => {
    const bytes = Buffer.concat([
      lines(...OPTIONS_HEAD, "Subject: caf"),
      Buffer.from([0xc3, 0xa9, 0xff]),
      Buffer.from("\r\nl: 0\r\n\r\n"),
    ]);
    expect(getHeader(parse(bytes), "subject")).toBe("café\ufffd");
  });

  it("classes the Contact wildcard by RFC 3261 §10.3", () => {
    const register = (...extra: string[]) =>
      classifyRequest(
        parseDatagram(
          lines(
            "REGISTER sip:example.com SIP/2.0",
            ...OPTIONS_HEAD.slice(1, 5),
            "CSeq: 1 REGISTER",
            ...extra,
            "l: 0",
            "",
            "",
          ),
        ),
      );
    expect(register("Contact: *", "Expires: 0").action).toBe("process");
    expect(register("Contact: *")).toMatchObject({
      action: "reject",
      status: 400,
      reason: "Contact * requires Expires: 0",
    });
    expect(register("Contact: *, <sip:a@b>", "Expires: 0")).toMatchObject({
      action: "reject",
      reason: "Malformed Contact: Contact * mixed with addresses",
    });
    expect(classifyRequest(parseDatagram(lines(...OPTIONS_HEAD, "Contact: *", "l: 0", "", "")))).toMatchObject({
      action: "reject",
    });
  });

  it("accepts tel: Request-URIs and refuses other schemes with 416", () => {
    const withUri = (uri: string) =>
      classifyRequest(parseDatagram(lines(`OPTIONS ${uri} SIP/2.0`, ...OPTIONS_HEAD.slice(1), "l: 0", "", "")));
    expect(withUri("tel:+1-201-555-0123").action).toBe("process");
    expect(withUri("sips:bob@example.com").action).toBe("process");
    expect(withUri("mailto:bob@example.com")).toMatchObject({ action: "reject", status: 416 });
    expect(withUri("sip:bob@exa mple.com")).toMatchObject({ action: "reject", status: 400 });
    expect(withUri("sip:bob@")).toMatchObject({ action: "reject", status: 400 });
  });

  it("drops requests without a Via instead of answering into the void", () => {
    expect(classifyRequest(parseDatagram(lines("OPTIONS sip:a@b SIP/2.0", "l: 0", "", ""))).action).toBe("drop");
  });

  it("exposes Require, Proxy-Require and Accept for the core's 420 and 406", () => {
    const message = parse(
      lines(
        ...OPTIONS_HEAD,
        "Require: 100rel, Foo",
        "Proxy-Require: bar",
        "Accept: application/*, text/plain",
        "l: 0",
        "",
        "",
      ),
    );
    expect(getRequire(message)).toEqual(["100rel", "Foo"]);
    expect(getProxyRequire(message)).toEqual(["bar"]);
    expect(unsupportedRequire(message, ["100REL"])).toEqual(["Foo"]);
    expect(acceptsMediaType(message, "application/sdp")).toBe(true);
    expect(acceptsMediaType(message, "image/png")).toBe(false);
  });

  it("tells a 3261 branch from the bare magic cookie", () => {
    expect(isRfc3261Branch("z9hG4bK")).toBe(false);
    expect(isRfc3261Branch("z9hG4bKx")).toBe(true);
    expect(isRfc3261Branch(null)).toBe(false);
    expect(getTo(parse(SAMPLE_INVITE))?.uri).toMatchObject({
      user: "+15551234567",
      params: [{ name: "user", value: "phone" }],
    });
  });
});
