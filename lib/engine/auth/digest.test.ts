import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  computeHa1,
  computeHa2,
  computeResponse,
  computeSessionHa1,
  computeUserhash,
  digestEquals,
  hashHex,
  parseDigestAlgorithm,
  type Qop,
} from "@/lib/engine/auth/digest";

interface Vector {
  id: string;
  algorithm: string;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  qop: Qop | null;
  nc: string | null;
  cnonce: string | null;
  body?: string;
  userhash?: boolean;
  expected_response: string;
  expected_userhash?: string;
}

const VECTORS: Vector[] = JSON.parse(
  readFileSync(fileURLToPath(new URL("./fixtures/digest-vectors.json", import.meta.url)), "utf8"),
);

// What each vector must do (conformance README). A vector added to the file without an entry here fails.
const EXPECTED: Readonly<Record<string, "verifies" | "erratum-must-not-verify">> = {
  "rfc2617-3.5-md5-auth": "verifies",
  "rfc7616-3.9.1-md5-auth": "verifies",
  "rfc7616-3.9.1-sha256-auth": "verifies",
  "rfc7616-3.9.2-sha512-256-userhash-as-printed": "erratum-must-not-verify",
  "rfc7616-3.9.2-sha512-256-userhash-fips": "verifies",
  "jssip-register-md5-noqop": "verifies",
  "jssip-register-md5-auth": "verifies",
  "jssip-register-md5-authint-emptybody": "verifies",
  "jssip-register-md5-authint-body": "verifies",
  "sipsorcery-invite-md5-noqop": "verifies",
  "sipsorcery-invite-sha256-noqop": "verifies",
  "sipsorcery-register-md5-noqop-1": "verifies",
  "sipsorcery-register-md5-noqop-2": "verifies",
  "sipsorcery-register-md5-obscure-password-1": "verifies",
  "sipsorcery-register-md5-obscure-password-2": "verifies",
  "sipsorcery-register-md5-noqop-3": "verifies",
  "sipsorcery-invite-md5-auth-uriparams-1": "verifies",
  "sipsorcery-invite-md5-auth-uriparams-2": "verifies",
  "sipsorcery-register-md5-auth": "verifies",
};

/** The server's side of a vector: the response computed from HA1 (what the snapshot carries). */
function responseFor(v: Vector): string {
  const spec = parseDigestAlgorithm(v.algorithm);
  if (spec === undefined) throw new Error(`unknown algorithm ${v.algorithm}`);
  const ha1 = computeHa1(spec.hash, v.username, v.realm, v.password);
  const ha2 = computeHa2(spec.hash, v.method, v.uri, v.qop, v.body ?? "");
  return computeResponse({ algorithm: spec.hash, ha1, nonce: v.nonce, ha2, qop: v.qop, nc: v.nc, cnonce: v.cnonce });
}

describe("digest vectors (../shared/conformance/digest-vectors.json)", () => {
  it("has an expectation for every vector in the file, and no stale one", () => {
    expect(VECTORS.map((v) => v.id).sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(VECTORS).toHaveLength(19);
  });

  it.each(VECTORS.map((v) => [v.id, v] as const))("%s", (id, v) => {
    const expectation = EXPECTED[id];
    if (expectation === undefined) throw new Error(`vector ${id} has no expectation in this test`);
    const response = responseFor(v);
    const spec = parseDigestAlgorithm(v.algorithm);
    const userhash =
      v.expected_userhash === undefined || spec === undefined
        ? undefined
        : computeUserhash(spec.hash, v.username, v.realm);
    if (expectation === "verifies") {
      expect(digestEquals(response, v.expected_response)).toBe(true);
      expect(response).toBe(v.expected_response);
      if (userhash !== undefined) expect(userhash).toBe(v.expected_userhash);
      return;
    }
    // RFC 7616 erratum: the printed values come from SHA-512 cut to 256 bits, not FIPS SHA-512/256.
    expect(digestEquals(response, v.expected_response)).toBe(false);
    expect(userhash).not.toBe(v.expected_userhash);
    const truncated = (s: string) => createHash("sha512").update(s).digest("hex").slice(0, 64);
    expect(truncated(`${v.username}:${v.realm}`)).toBe(v.expected_userhash);
    const ha1 = truncated(`${v.username}:${v.realm}:${v.password}`);
    const ha2 = truncated(`${v.method}:${v.uri}`);
    expect(truncated(`${ha1}:${v.nonce}:${v.nc}:${v.cnonce}:${v.qop}:${ha2}`)).toBe(v.expected_response);
  });
});

describe("digest arithmetic", () => {
  it("uses real SHA-512/256, not a truncated SHA-512", () => {
    expect(hashHex("SHA-512-256", "abc")).toBe("53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23");
    expect(hashHex("SHA-512-256", "abc")).not.toBe(createHash("sha512").update("abc").digest("hex").slice(0, 64));
  });

  it("names algorithms case-insensitively, MD5 when absent, -sess variants apart", () => {
    expect(parseDigestAlgorithm(null)).toEqual({ hash: "MD5", session: false });
    expect(parseDigestAlgorithm("sha-256")).toEqual({ hash: "SHA-256", session: false });
    expect(parseDigestAlgorithm("MD5-sess")).toEqual({ hash: "MD5", session: true });
    expect(parseDigestAlgorithm("SHA-512-256-SESS")).toEqual({ hash: "SHA-512-256", session: true });
    expect(parseDigestAlgorithm("SHA-1")).toBeUndefined();
  });

  it("computes the -sess HA1 as H(HA1:nonce:cnonce)", () => {
    const ha1 = computeHa1("SHA-256", "alice", "example.com", "secret");
    const md = (s: string) => createHash("sha256").update(s).digest("hex");
    expect(ha1).toBe(md("alice:example.com:secret"));
    expect(computeSessionHa1("SHA-256", ha1, "n1", "c1")).toBe(md(`${ha1}:n1:c1`));
  });

  it("hashes the body bytes for auth-int and ignores it otherwise", () => {
    const md5 = (s: string) => createHash("md5").update(s).digest("hex");
    expect(computeHa2("MD5", "INVITE", "sip:a@b", "auth-int", Buffer.from("v=0\r\n"))).toBe(
      md5(`INVITE:sip:a@b:${md5("v=0\r\n")}`),
    );
    expect(computeHa2("MD5", "INVITE", "sip:a@b", "auth", Buffer.from("v=0\r\n"))).toBe(md5("INVITE:sip:a@b"));
  });

  it("compares digests case-insensitively and refuses other lengths", () => {
    const r = "6629fae49393a05397450978507c4ef1";
    expect(digestEquals(r, r.toUpperCase())).toBe(true);
    expect(digestEquals(r, r.slice(0, 31))).toBe(false);
    expect(digestEquals(r, `${r.slice(0, 31)}0`)).toBe(false);
    expect(digestEquals(r, `${r.slice(0, 31)}\u0161`)).toBe(false);
  });
});
