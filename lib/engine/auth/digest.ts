// Digest arithmetic (RFC 7616 §3.4, RFC 2617 §3.2.2, RFC 2069 §2.1.2, RFC 8760 §2). Pure functions:
// every input is hashed as UTF-8 bytes exactly as given, never quoted, escaped or trimmed.
import { createHash, timingSafeEqual } from "node:crypto";

export type HashAlgorithm = "MD5" | "SHA-256" | "SHA-512-256";
export type Qop = "auth" | "auth-int";

/** An `algorithm` value split into its hash and whether it is a `-sess` variant. */
export interface AlgorithmSpec {
  readonly hash: HashAlgorithm;
  readonly session: boolean;
}

// RFC 8760 §2.2: "SHA-512-256" is the FIPS 180-4 SHA-512/256 function (its own IV), not a truncated SHA-512.
const NODE_NAMES: Readonly<Record<HashAlgorithm, string>> = {
  MD5: "md5",
  "SHA-256": "sha256",
  "SHA-512-256": "sha512-256",
};

/** Hex lengths of H() outputs, to reject a response of the wrong size before comparing. */
export const HASH_HEX_LENGTH: Readonly<Record<HashAlgorithm, number>> = { MD5: 32, "SHA-256": 64, "SHA-512-256": 64 };

const SPECS = new Map<string, AlgorithmSpec>();
for (const hash of ["MD5", "SHA-256", "SHA-512-256"] as const) {
  SPECS.set(hash.toLowerCase(), { hash, session: false });
  SPECS.set(`${hash.toLowerCase()}-sess`, { hash, session: true });
}

/**
 * The algorithm named by an `algorithm` parameter, case-insensitively; undefined when unknown.
 * RFC 7616 §3.4: when the parameter is absent, MD5 is assumed.
 */
export function parseDigestAlgorithm(token: string | null | undefined): AlgorithmSpec | undefined {
  if (token === null || token === undefined) return SPECS.get("md5");
  return SPECS.get(token.toLowerCase());
}

/** H(data) as lower-case hex. */
export function hashHex(algorithm: HashAlgorithm, data: string | Buffer): string {
  return createHash(NODE_NAMES[algorithm]).update(data).digest("hex");
}

/** RFC 7616 §3.4.2: A1 = username ":" realm ":" passwd; HA1 = H(A1). */
export function computeHa1(algorithm: HashAlgorithm, username: string, realm: string, password: string): string {
  return hashHex(algorithm, `${username}:${realm}:${password}`);
}

/** RFC 7616 §3.4.2: for a -sess algorithm, HA1 = H(H(username:realm:passwd) ":" nonce ":" cnonce). */
export function computeSessionHa1(algorithm: HashAlgorithm, ha1: string, nonce: string, cnonce: string): string {
  return hashHex(algorithm, `${ha1}:${nonce}:${cnonce}`);
}

/**
 * RFC 7616 §3.4.3: A2 = Method ":" request-uri for qop auth (and without qop);
 * A2 = Method ":" request-uri ":" H(entity-body) for auth-int.
 */
export function computeHa2(
  algorithm: HashAlgorithm,
  method: string,
  uri: string,
  qop: Qop | null,
  body: Buffer | string = "",
): string {
  if (qop === "auth-int") return hashHex(algorithm, `${method}:${uri}:${hashHex(algorithm, body)}`);
  return hashHex(algorithm, `${method}:${uri}`);
}

export interface ResponseInput {
  readonly algorithm: HashAlgorithm;
  /** The HA1 to use: already the session HA1 for a -sess algorithm. */
  readonly ha1: string;
  readonly nonce: string;
  readonly ha2: string;
  readonly qop: Qop | null;
  readonly nc?: string | null;
  readonly cnonce?: string | null;
}

/**
 * RFC 7616 §3.4.1: response = KD(HA1, nonce ":" nc ":" cnonce ":" qop ":" HA2) with a qop;
 * RFC 2069 §2.1.2: response = KD(HA1, nonce ":" HA2) without one.
 */
export function computeResponse(input: ResponseInput): string {
  const { algorithm, ha1, nonce, ha2, qop } = input;
  if (qop === null) return hashHex(algorithm, `${ha1}:${nonce}:${ha2}`);
  return hashHex(algorithm, `${ha1}:${nonce}:${input.nc ?? ""}:${input.cnonce ?? ""}:${qop}:${ha2}`);
}

/** RFC 7616 §3.4.4: userhash = H(unq(username) ":" unq(realm)). */
export function computeUserhash(algorithm: HashAlgorithm, username: string, realm: string): string {
  return hashHex(algorithm, `${username}:${realm}`);
}

/**
 * Constant-time equality of an expected hex digest and a received one (hex digits compared
 * case-insensitively). A length mismatch still costs one comparison, so it leaks nothing about content.
 */
export function digestEquals(expected: string, received: string): boolean {
  const a = Buffer.from(expected.toLowerCase(), "utf8");
  const b = Buffer.from(received.toLowerCase(), "utf8");
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}
