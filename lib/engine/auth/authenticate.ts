// Verifies a request's digest credentials against our own challenge (RFC 3261 §22, RFC 7616 §3.4,
// RFC 8760). Pure apart from the nonce-count memory in `nonces`; every outcome is an AuthResult.
import { randomBytes } from "node:crypto";
import type { OfferedAlgorithm } from "@/lib/engine/auth/challenge";
import { parseCredentials, type DigestCredentials } from "@/lib/engine/auth/credentials";
import {
  computeHa2,
  computeResponse,
  digestEquals,
  HASH_HEX_LENGTH,
  parseDigestAlgorithm,
  type Qop,
} from "@/lib/engine/auth/digest";
import type { NonceService } from "@/lib/engine/auth/nonces";
import { digestUriMatches } from "@/lib/engine/auth/uri-match";
import { getAuthorizations, getProxyAuthorizations } from "@/lib/engine/sip/accessors";
import type { SipRequest } from "@/lib/engine/sip/message";

/** What the snapshot knows of a Password mapping gateway: HA1 for our realm, never the password. */
export interface AccountHashes {
  readonly ha1Md5: string | null;
  readonly ha1Sha256: string | null;
}

export interface AuthenticateOptions {
  /** SS_SIP_DOMAIN. */
  readonly realm: string;
  /** SS_DIGEST_ALGORITHMS, parsed: credentials using another algorithm are refused. */
  readonly algorithms: readonly OfferedAlgorithm[];
  /** SS_NONCE_LIFETIME. */
  readonly nonceLifetimeSeconds: number;
  /** The account of a digest username, undefined when there is none. */
  readonly lookup: (username: string) => AccountHashes | undefined;
  readonly nonces: NonceService;
  /** The `source` our nonces were issued for (NonceService.issue); none by default. */
  readonly nonceSource?: string;
}

export type AuthFailureReason = "wrong-credentials" | "replay" | "invalid-nonce" | "unsupported-algorithm";

/**
 * - `no-credentials`, `unknown-scheme`: challenge; not a failed attempt.
 * - `stale`: right answer, expired nonce: challenge again with stale=true; not a failed attempt.
 * - `failed`: a wrong answer to our challenge (counts for brute force); `username` is the one claimed.
 * - `bad-request`: answer 400 with `reason`.
 */
export type AuthResult =
  | { readonly ok: true; readonly username: string; readonly algorithm: OfferedAlgorithm }
  | { readonly ok: false; readonly kind: "no-credentials" }
  | { readonly ok: false; readonly kind: "unknown-scheme" }
  | { readonly ok: false; readonly kind: "stale" }
  | { readonly ok: false; readonly kind: "failed"; readonly reason: AuthFailureReason; readonly username: string }
  | { readonly ok: false; readonly kind: "bad-request"; readonly reason: "uri mismatch" | "malformed credentials" };

const NO_CREDENTIALS: AuthResult = { ok: false, kind: "no-credentials" };
const UNKNOWN_SCHEME: AuthResult = { ok: false, kind: "unknown-scheme" };
const STALE: AuthResult = { ok: false, kind: "stale" };
const URI_MISMATCH: AuthResult = { ok: false, kind: "bad-request", reason: "uri mismatch" };
const MALFORMED: AuthResult = { ok: false, kind: "bad-request", reason: "malformed credentials" };

// Stands in for the HA1 of an unknown user, so that the work done does not depend on whether it exists.
const DUMMY_HA1: Readonly<Record<OfferedAlgorithm, string>> = {
  MD5: randomBytes(HASH_HEX_LENGTH.MD5 / 2).toString("hex"),
  "SHA-256": randomBytes(HASH_HEX_LENGTH["SHA-256"] / 2).toString("hex"),
};

function failed(reason: AuthFailureReason, username: string): AuthResult {
  return { ok: false, kind: "failed", reason, username };
}

/**
 * The first Digest credentials for our realm, from Authorization then Proxy-Authorization (either is
 * accepted whatever SS_AUTHCHALLENGEMODE says); credentials for another realm are as if absent.
 */
function selectCredentials(request: SipRequest, realm: string): DigestCredentials | AuthResult {
  let fallback = NO_CREDENTIALS;
  for (const lines of [getAuthorizations(request), getProxyAuthorizations(request)]) {
    for (const line of lines) {
      const parsed = parseCredentials(line);
      if (parsed.ok) {
        if (parsed.credentials.realm === realm) return parsed.credentials;
      } else if (parsed.kind === "invalid") {
        if (parsed.realm === null || parsed.realm === realm) fallback = MALFORMED;
      } else if (fallback === NO_CREDENTIALS) fallback = UNKNOWN_SCHEME;
    }
  }
  return fallback;
}

function qopOf(value: string | null): Qop | null | undefined {
  if (value === null) return null;
  return value === "auth" || value === "auth-int" ? value : undefined;
}

/** Whether the response is right; the same hashing and comparison is done for an unknown user. */
function verifyResponse(
  request: SipRequest,
  c: DigestCredentials,
  algorithm: OfferedAlgorithm,
  qop: Qop | null,
  options: AuthenticateOptions,
): boolean {
  // RFC 7616 §3.4.4: with userhash the username is a hash; we never offer it, so nobody matches
  const account = c.userhash ? undefined : options.lookup(c.username);
  const stored = account === undefined ? null : algorithm === "MD5" ? account.ha1Md5 : account.ha1Sha256;
  const ha1 = stored ?? DUMMY_HA1[algorithm];
  const ha2 = computeHa2(algorithm, request.method, c.uri, qop, request.body);
  const expected = computeResponse({ algorithm, ha1, nonce: c.nonce, ha2, qop, nc: c.nc, cnonce: c.cnonce });
  const same = digestEquals(expected, c.response);
  return same && stored !== null;
}

export function authenticateRequest(request: SipRequest, options: AuthenticateOptions): AuthResult {
  const selected = selectCredentials(request, options.realm);
  if ("ok" in selected) return selected;
  const c = selected;
  // RFC 7616 §3.4.6: the uri directive must name the Request-URI, else 400 Bad Request
  if (!digestUriMatches(c.uri, request.uri)) return URI_MISMATCH;
  const qop = qopOf(c.qop);
  if (qop === undefined) return MALFORMED;
  const spec = parseDigestAlgorithm(c.algorithm);
  const algorithm = spec === undefined || spec.session ? undefined : options.algorithms.find((a) => a === spec.hash);
  if (algorithm === undefined) return failed("unsupported-algorithm", c.username);
  const lifetime = options.nonceLifetimeSeconds;
  const nonce = options.nonces.check(c.nonce, lifetime, options.nonceSource);
  if (nonce === "invalid") return failed("invalid-nonce", c.username);
  if (!verifyResponse(request, c, algorithm, qop, options)) return failed("wrong-credentials", c.username);
  // RFC 7616 §3.3: stale=true only for a response that is right for an expired nonce
  if (nonce === "stale") return STALE;
  if (qop !== null) {
    const count = options.nonces.useCount(c.nonce, parseInt(c.nc as string, 16), lifetime);
    if (count === "replay") return failed("replay", c.username);
    // Its count history was dropped for space: a fresh nonce lets the client go on without a prompt
    if (count === "forgotten") return STALE;
  }
  return { ok: true, username: c.username, algorithm };
}
