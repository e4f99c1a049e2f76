import { describe, expect, it } from "vitest";
import {
  getCallId,
  getContacts,
  getCSeq,
  getFrom,
  getMaxForwards,
  getRequestUri,
  getTo,
  getTopVia,
  getVias,
} from "@/lib/engine/sip/accessors";
import type { Contact } from "@/lib/engine/sip/contact";
import { listTortureNames, readExpectations, readTorture } from "@/lib/engine/sip/fixture-files";
import { getHeader, getHeaderValues } from "@/lib/engine/sip/header-access";
import type { SipMessage, SipRequest } from "@/lib/engine/sip/message";
import { parseDatagram } from "@/lib/engine/sip/parser";
import { unsupportedRequire } from "@/lib/engine/sip/support";
import { unescapePercent } from "@/lib/engine/sip/text";
import type { SipUri } from "@/lib/engine/sip/uri";

function parseOk(name: string): SipMessage {
  const parsed = parseDatagram(readTorture(name));
  if (!parsed.ok) throw new Error(`${name}: ${parsed.reason}`);
  return parsed.message;
}

function parseRequest(name: string): SipRequest {
  const message = parseOk(name);
  if (message.kind !== "request") throw new Error(`${name} is not a request`);
  return message;
}

const sipUri = (uri: { kind: string } | undefined): SipUri => {
  if (uri?.kind !== "sip") throw new Error("not a SIP URI");
  return uri as SipUri;
};

const contactsOf = (message: SipMessage): readonly Contact[] => {
  const set = getContacts(message);
  if (set === undefined || set.wildcard) throw new Error("no contact list");
  return set.contacts;
};

const rows = readExpectations();
const names = listTortureNames();

// What the engine answers to each message is proven on its real request path in
// lib/engine/engine-rfc4475.test.ts; here, what the parser makes of them.
describe("RFC 4475 fixtures", () => {
  it("has exactly one expectation row per fixture file", () => {
    expect(names).toHaveLength(50);
    expect(rows.map((row) => row.name).sort()).toEqual(names);
  });
});

describe("RFC 4475 details", () => {
  it("wsinv: folding, LWS around colons, leading zeros, escaped quotes", () => {
    const message = parseOk("wsinv");
    expect(getMaxForwards(message)).toBe(68);
    expect(getCSeq(message)).toEqual({ number: 9, method: "INVITE" });
    expect(getFrom(message)?.displayName).toBe('J Rosenberg \\"');
    expect(getFrom(message)?.tag).toBe("98asjd8");
    expect(getTo(message)?.tag).toBe("1918181833n");
    expect(getVias(message)?.map((v) => [v.transport, v.host, v.branch])).toEqual([
      ["UDP", "192.0.2.2", "390skdjuw"],
      ["TCP", "spindle.example.com", "z9hG4bK9ikj8"],
      ["UDP", "192.168.255.111", "z9hG4bK30239"],
    ]);
    const [contact] = contactsOf(message);
    expect(contact.displayName).toBe('Quoted string ""');
    expect(contact.q).toBe(0.33);
    expect(contact.params.map((p) => p.name)).toEqual(["newparam", "secondparam", "q"]);
    expect(getHeader(message, "subject")).toBe("");
    expect(getHeader(message, "NewFangledHeader")).toBe("newfangled value continued newfangled value");
    expect(message.body).toHaveLength(150);
  });

  it("intmeth: token method, quoted NUL in To, odd Call-ID", () => {
    const message = parseRequest("intmeth");
    expect(message.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
    const uri = sipUri(getRequestUri(message));
    expect(uri.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(uri.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    expect(uri.host).toBe("example.com");
    expect(getTo(message)?.displayName).toBe("BEL:\x07 NUL:\x00 DEL:\x7f");
    expect(getCallId(message)).toBe("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
  });

  it("esc01: keeps %-escapes, unescapes once and never recursively", () => {
    const message = parseRequest("esc01");
    const ruri = sipUri(getRequestUri(message));
    expect(ruri.user).toBe("sips%3Auser%40example.com");
    expect(unescapePercent(ruri.user ?? "")).toBe("sips:user@example.com");
    expect(unescapePercent(sipUri(getFrom(message)?.uri).user ?? "")).toBe("I have spaces");
    const uri = sipUri(contactsOf(message)[0].uri);
    expect(uri.raw).toBe("sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31");
    expect(uri.params).toEqual([
      { name: "%6C%72", value: null },
      { name: "n%61me", value: "v%61lue%25%34%31" },
    ]);
    expect(unescapePercent(uri.params[1].value ?? "")).toBe("value%41");
  });

  it("escnull: two distinct contacts whose users are escaped NULs", () => {
    const users = contactsOf(parseOk("escnull")).map((c) => sipUri(c.uri).user);
    expect(users).toEqual(["%00", "%00%00"]);
    expect(users.map((u) => unescapePercent(u ?? ""))).toEqual(["\0", "\0\0"]);
    expect(sipUri(getTo(parseOk("escnull"))?.uri).user).toBe("null-%00-null");
  });

  it("esc02: the method is RE%47IST%45R and C%6Fntact is not a Contact", () => {
    const message = parseRequest("esc02");
    expect(message.method).toBe("RE%47IST%45R");
    expect(contactsOf(message).map((c) => sipUri(c.uri).host)).toEqual(["host1.example.com", "host3.example.com"]);
    expect(getHeader(message, "C%6Fntact")).toBe("<sip:alias2@host2.example.com>");
    expect(getFrom(message)?.displayName).toBe("%Z%45");
  });

  it("dblreq: the body is empty and the trailing INVITE is ignored", () => {
    const bytes = readTorture("dblreq");
    const parsed = parseDatagram(bytes);
    expect(parsed.ok && parsed.message.kind === "request" && parsed.message.method).toBe("REGISTER");
    expect(parsed.ok && parsed.message.body.length).toBe(0);
    expect(parsed.ok && parsed.consumed).toBe(bytes.indexOf("\r\n\r\n") + 4);
    expect(parsed.ok && getHeaderValues(parsed.message, "call-id")).toEqual(["dblreq.0ha0isndaksdj99sdfafnl3lk233412"]);
  });

  it("mpart01: the body is the file's bytes after the header section, NUL and bare CR included", () => {
    const bytes = readTorture("mpart01");
    const message = parseOk("mpart01");
    const start = bytes.indexOf("\r\n\r\n") + 4;
    expect(message.body).toHaveLength(553);
    expect(message.body.equals(bytes.subarray(start, start + 553))).toBe(true);
    expect(message.body.includes(0)).toBe(true);
    const bareCr = [...message.body.entries()].some(([i, b]) => b === 13 && message.body[i + 1] !== 10);
    expect(bareCr).toBe(true);
  });

  it("longreq: long values intact, every Via counted", () => {
    const message = parseOk("longreq");
    expect(getCallId(message)).toBe(`longreq.one${"really".repeat(20)}longcallid`);
    expect(getVias(message)).toHaveLength(34);
    expect(getTopVia(message)?.host).toBe("sip33.example.com");
    expect(getFrom(message)?.tag).toMatch(/^12982982.*424$/);
    expect(getTo(message)?.displayName).toContain("extremeextreme");
  });

  it("semiuri: the Request-URI user part carries the semicolon", () => {
    const uri = sipUri(getRequestUri(parseRequest("semiuri")));
    expect([uri.user, uri.host, uri.params]).toEqual(["user;par=u%40example.net", "example.com", []]);
  });

  it("transports: every Via transport, the unknown one included", () => {
    expect(getVias(parseOk("transports"))?.map((v) => v.transport)).toEqual(["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"]);
  });

  it("inv2543: without Content-Length the body is the rest of the datagram", () => {
    const bytes = readTorture("inv2543");
    const message = parseOk("inv2543");
    expect(message.body.equals(bytes.subarray(bytes.indexOf("\r\n\r\n") + 4))).toBe(true);
    expect(getTopVia(message)?.branch).toBeNull();
    expect(getFrom(message)?.tag).toBeNull();
    expect(getMaxForwards(message)).toBeUndefined();
  });

  it("cparam01 / cparam02: unknownparam is a contact parameter outside < >, a URI parameter inside", () => {
    const [outside] = contactsOf(parseOk("cparam01"));
    expect(outside.params.map((p) => p.name)).toEqual(["unknownparam"]);
    expect(sipUri(outside.uri).params).toEqual([]);
    const [inside] = contactsOf(parseOk("cparam02"));
    expect(inside.params).toEqual([]);
    expect(sipUri(inside.uri).params).toEqual([{ name: "unknownparam", value: null }]);
  });

  it("regescrt: the escaped Route header stays in the Contact URI", () => {
    const uri = sipUri(contactsOf(parseOk("regescrt"))[0].uri);
    expect(uri.headers).toEqual([{ name: "Route", value: "%3Csip:sip.example.com%3E" }]);
    expect(uri.raw).toBe("sip:user@example.com?Route=%3Csip:sip.example.com%3E");
  });

  it("zeromf, bext01, regaut01, unreason, noreason: what the core needs is exposed", () => {
    expect(getMaxForwards(parseOk("zeromf"))).toBe(0);
    expect(unsupportedRequire(parseOk("bext01"), [])).toEqual(["nothingSupportsThis", "nothingSupportsThisEither"]);
    expect(getHeaderValues(parseOk("regaut01"), "authorization")).toEqual(["NoOneKnowsThisScheme opaque-data=here"]);
    const unreason = parseOk("unreason");
    expect(unreason.kind === "response" && unreason.reason).toBe("= 2**3 * 5**2 но сто девяносто девять - простое");
    const noreason = parseOk("noreason");
    expect(noreason.kind === "response" && [noreason.status, noreason.reason]).toEqual([100, ""]);
  });
});
