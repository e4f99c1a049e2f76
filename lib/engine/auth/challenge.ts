// The challenge policy of SS_AUTHCHALLENGEMODE (DESIGN.md) and the challenge header values
// (RFC 7616 §3.3, RFC 8760 §2.4).
import type { HeaderInit } from "@/lib/engine/sip/message";

/** SS_AUTHCHALLENGEMODE: 1 = 401 always, 2 = 407 always, 3 = 401 for REGISTER and 407 otherwise. */
export type ChallengeMode = 1 | 2 | 3;

/** The algorithms the engine can verify: the snapshot carries HA1 for these two only. */
export type OfferedAlgorithm = "MD5" | "SHA-256";

export type Challenge =
  | { readonly status: 401; readonly reason: "Unauthorized"; readonly header: "WWW-Authenticate" }
  | { readonly status: 407; readonly reason: "Proxy Authentication Required"; readonly header: "Proxy-Authenticate" };

export const UNAUTHORIZED: Challenge = { status: 401, reason: "Unauthorized", header: "WWW-Authenticate" };
export const PROXY_AUTHENTICATION_REQUIRED: Challenge = {
  status: 407,
  reason: "Proxy Authentication Required",
  header: "Proxy-Authenticate",
};

/** How to challenge `method` in `mode`; null for a method that is never challenged. */
export function challengeFor(mode: ChallengeMode, method: string): Challenge | null {
  // RFC 3261 §22.1: ACK and CANCEL cannot be resubmitted with credentials, so they are never challenged
  // (methods are case-sensitive, RFC 3261 §7.1)
  if (method === "ACK" || method === "CANCEL") return null;
  if (mode === 1) return UNAUTHORIZED;
  if (mode === 2) return PROXY_AUTHENTICATION_REQUIRED;
  return method === "REGISTER" ? UNAUTHORIZED : PROXY_AUTHENTICATION_REQUIRED;
}

/**
 * The SS_DIGEST_ALGORITHMS value as a list in offer order ("SHA-256,MD5" → SHA-256 first).
 * Names outside MD5 and SHA-256 are a bug: the catalog allows only these.
 */
export function parseOfferedAlgorithms(setting: string): OfferedAlgorithm[] {
  const out: OfferedAlgorithm[] = [];
  for (const part of setting.split(",")) {
    const name = part.trim().toUpperCase();
    if (name !== "MD5" && name !== "SHA-256") throw new Error(`SS_DIGEST_ALGORITHMS: unsupported algorithm ${part}`);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

// RFC 3261 §25.1: inside a quoted-string, `"` and `\` travel as quoted-pairs.
function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export interface ChallengeValueOptions {
  readonly opaque?: string;
}

/**
 * One challenge value per offered algorithm, in offer order (RFC 8760 §2.4: the client uses the
 * first it supports, so order is preference). qop="auth" only: RFC 2069 clients simply ignore it.
 */
export function challengeHeaders(
  realm: string,
  algorithms: readonly OfferedAlgorithm[],
  nonce: string,
  stale: boolean,
  options: ChallengeValueOptions = {},
): string[] {
  const opaque = options.opaque === undefined ? "" : `, opaque=${quote(options.opaque)}`;
  const tail = stale ? ", stale=true" : "";
  return algorithms.map(
    (algorithm) =>
      `Digest realm=${quote(realm)}, nonce=${quote(nonce)}${opaque}, algorithm=${algorithm}, qop="auth"${tail}`,
  );
}

/** The challenge values as header lines of `challenge`'s header (WWW-Authenticate or Proxy-Authenticate). */
export function challengeHeaderInits(challenge: Challenge, values: readonly string[]): HeaderInit[] {
  return values.map((value) => [challenge.header, value] as const);
}
