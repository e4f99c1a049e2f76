import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCredentials } from "@/lib/engine/auth/credentials";
import { getAuthorizations } from "@/lib/engine/sip/accessors";
import { readTorture } from "@/lib/engine/sip/fixture-files";
import { parseDatagram } from "@/lib/engine/sip/parser";

const FULL =
  'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", ' +
  'qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41"';

function credentialsOf(value: string) {
  const parsed = parseCredentials(value);
  if (!parsed.ok) throw new Error(`not parsed: ${parsed.kind}`);
  return parsed.credentials;
}

describe("parseCredentials", () => {
  it("reads the RFC 2617 §3.5 example", () => {
    expect(credentialsOf(FULL)).toEqual({
      username: "Mufasa",
      realm: "testrealm@host.com",
      nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
      uri: "/dir/index.html",
      response: "6629fae49393a05397450978507c4ef1",
      algorithm: null,
      cnonce: "0a4f113b",
      opaque: "5ccc069c403ebaf9f0171e9517f40e41",
      qop: "auth",
      nc: "00000001",
      userhash: false,
    });
  });

  it("takes scheme and parameter names in any case, quoted or token values, spaces around =", () => {
    const c = credentialsOf(
      'dIgEsT USERNAME = alice ,Realm="example.com",NONCE=abc, URI="sip:example.com", Response="0a", ALGORITHM="SHA-256", QOP="auth", NC=0000000a, CNonce=xyz',
    );
    expect(c).toMatchObject({
      username: "alice",
      realm: "example.com",
      nonce: "abc",
      algorithm: "SHA-256",
      qop: "auth",
      nc: "0000000a",
      cnonce: "xyz",
    });
  });

  it("resolves escapes and keeps commas and equals signs inside quotes", () => {
    const c = credentialsOf(
      'Digest username="a\\"b\\\\c, d=e", realm="r, s", nonce="n", uri="sip:x@y;transport=udp", response="ab"',
    );
    expect(c.username).toBe('a"b\\c, d=e');
    expect(c.realm).toBe("r, s");
    expect(c.uri).toBe("sip:x@y;transport=udp");
  });

  it("decodes RFC 7616 username* (UTF-8) and refuses it together with username", () => {
    expect(
      credentialsOf("Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm=r, nonce=n, uri=\"/\", response=ab").username,
    ).toBe("Jäsøn Doe");
    expect(
      parseCredentials("Digest username=a, username*=UTF-8''a, realm=r, nonce=n, uri=\"/\", response=ab"),
    ).toMatchObject({ ok: false, kind: "invalid" });
    expect(parseCredentials("Digest username*=ISO-8859-1''a, realm=r, nonce=n, uri=\"/\", response=ab")).toMatchObject({
      ok: false,
      kind: "invalid",
    });
  });

  it("ignores unknown parameters and empty list elements", () => {
    expect(credentialsOf(`${FULL}, , future-param="x"`).username).toBe("Mufasa");
  });

  it.each(["username", "realm", "nonce", "uri", "response"])("refuses credentials without %s", (name) => {
    const params = ['username="a"', 'realm="r"', 'nonce="n"', 'uri="sip:r"', 'response="ab"'];
    const without = `Digest ${params.filter((p) => !p.startsWith(`${name}=`)).join(", ")}`;
    expect(parseCredentials(`Digest ${params.join(", ")}`).ok).toBe(true);
    expect(parseCredentials(without)).toMatchObject({ ok: false, kind: "invalid", reason: `missing ${name}` });
  });

  it("refuses a repeated parameter, whatever its case, and says which realm it read", () => {
    expect(parseCredentials(`${FULL}, Realm="other"`)).toEqual({
      ok: false,
      kind: "invalid",
      reason: "parameter realm repeated",
      realm: "testrealm@host.com",
    });
    expect(parseCredentials(`${FULL}, response="00"`)).toMatchObject({ ok: false, kind: "invalid" });
  });

  it("refuses qop without nc or cnonce, a malformed nc, a non-hex response, an unterminated quote", () => {
    expect(parseCredentials(FULL.replace("nc=00000001, ", ""))).toMatchObject({
      kind: "invalid",
      reason: "qop without nc or cnonce",
    });
    expect(parseCredentials(FULL.replace("nc=00000001", "nc=1"))).toMatchObject({
      kind: "invalid",
      reason: "nc is not 8 hex digits",
    });
    expect(parseCredentials(FULL.replace('response="6629', 'response="zz29'))).toMatchObject({ kind: "invalid" });
    expect(parseCredentials('Digest username="alice, realm=r')).toMatchObject({
      kind: "invalid",
      reason: "unterminated quoted string",
      realm: null,
    });
    expect(parseCredentials("Digest username")).toMatchObject({ kind: "invalid" });
    expect(parseCredentials("")).toMatchObject({ kind: "invalid" });
  });

  it("drops nc and cnonce sent without qop (RFC 2069 form): they are not hashed", () => {
    const c = credentialsOf(
      'Digest username="a", realm="r", nonce="n", uri="/", response="ab", nc=00000001, cnonce="c"',
    );
    expect([c.qop, c.nc, c.cnonce]).toEqual([null, null, null]);
  });

  it("tells an unknown scheme apart: RFC 4475 regaut01 and Basic", () => {
    const parsed = parseDatagram(readTorture("regaut01"));
    if (!parsed.ok) throw new Error("regaut01 is valid");
    const [value] = getAuthorizations(parsed.message);
    expect(parseCredentials(value)).toEqual({ ok: false, kind: "unknown-scheme", scheme: "NoOneKnowsThisScheme" });
    expect(parseCredentials("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")).toMatchObject({
      ok: false,
      kind: "unknown-scheme",
      scheme: "Basic",
    });
  });

  it("never throws on hostile text", () => {
    const piece = fc.constantFrom(
      "Digest ",
      "digest",
      " ",
      ",",
      "=",
      '"',
      "\\",
      "username",
      "realm",
      "nc",
      "qop",
      "auth",
      "00000001",
      "*",
      "'",
      "%",
      "%C3",
      "\u0000",
      "é",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const result = parseCredentials(parts.join(""));
        expect(typeof result.ok).toBe("boolean");
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});
