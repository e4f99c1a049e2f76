import { describe, expect, it } from "vitest";
import {
  challengeFor,
  challengeHeaderInits,
  challengeHeaders,
  parseOfferedAlgorithms,
  type ChallengeMode,
} from "@/lib/engine/auth/challenge";

// SS_AUTHCHALLENGEMODE × method → status of the challenge (null: never challenged).
const POLICY: ReadonlyArray<readonly [ChallengeMode, string, 401 | 407 | null]> = [
  [1, "REGISTER", 401],
  [1, "INVITE", 401],
  [1, "BYE", 401],
  [1, "OPTIONS", 401],
  [1, "ACK", null],
  [1, "CANCEL", null],
  [1, "MESSAGE", 401],
  [2, "REGISTER", 407],
  [2, "INVITE", 407],
  [2, "BYE", 407],
  [2, "OPTIONS", 407],
  [2, "ACK", null],
  [2, "CANCEL", null],
  [2, "MESSAGE", 407],
  [3, "REGISTER", 401],
  [3, "INVITE", 407],
  [3, "BYE", 407],
  [3, "OPTIONS", 407],
  [3, "ACK", null],
  [3, "CANCEL", null],
  [3, "MESSAGE", 407],
];

describe("challengeFor (SS_AUTHCHALLENGEMODE)", () => {
  it.each(POLICY)("mode %i, %s → %s", (mode, method, status) => {
    const challenge = challengeFor(mode, method);
    if (status === null) {
      expect(challenge).toBeNull();
    } else if (status === 401) {
      expect(challenge).toEqual({ status: 401, reason: "Unauthorized", header: "WWW-Authenticate" });
    } else {
      expect(challenge).toEqual({ status: 407, reason: "Proxy Authentication Required", header: "Proxy-Authenticate" });
    }
  });

  it("compares methods case-sensitively: a lower-case `register` is an extension method", () => {
    expect(challengeFor(3, "register")?.status).toBe(407);
    expect(challengeFor(1, "ack")?.status).toBe(401);
  });
});

describe("challenge header values", () => {
  it("reads SS_DIGEST_ALGORITHMS in offer order", () => {
    expect(parseOfferedAlgorithms("MD5")).toEqual(["MD5"]);
    expect(parseOfferedAlgorithms("MD5,SHA-256")).toEqual(["MD5", "SHA-256"]);
    expect(parseOfferedAlgorithms("SHA-256,MD5")).toEqual(["SHA-256", "MD5"]);
    expect(() => parseOfferedAlgorithms("SHA-1")).toThrow();
  });

  it("offers one challenge per algorithm, in the configured order", () => {
    expect(challengeHeaders("softswitch.local", parseOfferedAlgorithms("SHA-256,MD5"), "n0nce", false)).toEqual([
      'Digest realm="softswitch.local", nonce="n0nce", algorithm=SHA-256, qop="auth"',
      'Digest realm="softswitch.local", nonce="n0nce", algorithm=MD5, qop="auth"',
    ]);
    expect(challengeHeaders("softswitch.local", ["MD5"], "n0nce", false)).toEqual([
      'Digest realm="softswitch.local", nonce="n0nce", algorithm=MD5, qop="auth"',
    ]);
  });

  it("adds stale=true when asked, and opaque when given", () => {
    const [value] = challengeHeaders("softswitch.local", ["MD5"], "n0nce", true, { opaque: "op" });
    expect(value).toBe(
      'Digest realm="softswitch.local", nonce="n0nce", opaque="op", algorithm=MD5, qop="auth", stale=true',
    );
  });

  it("escapes quotes and backslashes inside quoted values", () => {
    expect(challengeHeaders('a"b\\c', ["MD5"], "n", false)[0]).toContain('realm="a\\"b\\\\c"');
  });

  it("puts the values under the challenge's header", () => {
    const challenge = challengeFor(3, "INVITE");
    if (challenge === null) throw new Error("INVITE is challenged");
    expect(challengeHeaderInits(challenge, ["Digest a", "Digest b"])).toEqual([
      ["Proxy-Authenticate", "Digest a"],
      ["Proxy-Authenticate", "Digest b"],
    ]);
  });
});
