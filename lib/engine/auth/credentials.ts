// Parses one Authorization / Proxy-Authorization value (RFC 3261 §25.1 credentials, RFC 7616 §3.4).
// Never throws; a value that is not Digest is told apart so that the caller challenges it.
import { equalsIgnoreCase, isClass, isWs, skipWs, TOKEN } from "@/lib/engine/sip/chars";
import { skipQuoted, unescapePercent, unquote } from "@/lib/engine/sip/text";

export interface DigestCredentials {
  /** The digest username (from `username`, or decoded from RFC 7616 `username*`). */
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  readonly uri: string;
  readonly response: string;
  /** As sent; null when absent (RFC 7616 §3.4: MD5 then). */
  readonly algorithm: string | null;
  readonly cnonce: string | null;
  readonly opaque: string | null;
  readonly qop: string | null;
  readonly nc: string | null;
  readonly userhash: boolean;
}

export type CredentialsParse =
  | { readonly ok: true; readonly credentials: DigestCredentials }
  | { readonly ok: false; readonly kind: "unknown-scheme"; readonly scheme: string }
  /** `realm` when it could be read, so that malformed credentials for someone else can be ignored. */
  | { readonly ok: false; readonly kind: "invalid"; readonly reason: string; readonly realm: string | null };

const REQUIRED = ["username", "realm", "nonce", "uri", "response"] as const;
const NC = /^[0-9a-fA-F]{8}$/;
const HEX = /^[0-9a-fA-F]+$/;

function invalid(reason: string, params?: ReadonlyMap<string, string>): CredentialsParse {
  return { ok: false, kind: "invalid", reason, realm: params?.get("realm") ?? null };
}

function scanToken(s: string, i: number): number {
  while (i < s.length && isClass(s.charCodeAt(i), TOKEN)) i++;
  return i;
}

/**
 * Reads `name=value` pairs separated by commas into `params` (names lower-cased, values unquoted);
 * returns what is wrong, or null. Token or quoted-string is accepted for every value (RFC 7616 §3.4
 * auth-param), since deployed clients quote qop and algorithm; a repeated name is an error.
 */
function parseAuthParams(s: string, start: number, params: Map<string, string>): string | null {
  let i = start;
  for (;;) {
    i = skipWs(s, i);
    // RFC 7230 §7: empty list elements ("a=1, , b=2") are accepted and ignored
    if (s.charCodeAt(i) === 44) {
      i++;
      continue;
    }
    if (i >= s.length) return null;
    const nameEnd = scanToken(s, i);
    if (nameEnd === i) return "bad parameter name";
    const name = s.slice(i, nameEnd).toLowerCase();
    i = skipWs(s, nameEnd);
    if (s.charCodeAt(i) !== 61) return `parameter ${name} has no value`;
    i = skipWs(s, i + 1);
    let value: string;
    if (s.charCodeAt(i) === 34) {
      const end = skipQuoted(s, i);
      if (end < 0) return "unterminated quoted string";
      value = unquote(s.slice(i, end));
      i = end;
    } else {
      const end = scanToken(s, i);
      if (end === i) return `parameter ${name} has an empty value`;
      value = s.slice(i, end);
      i = end;
    }
    if (params.has(name)) return `parameter ${name} repeated`;
    params.set(name, value);
    i = skipWs(s, i);
    if (i < s.length && s.charCodeAt(i) !== 44) return `unexpected text after ${name}`;
  }
}

// RFC 7616 §3.4 / RFC 8187 §3.2: username* = charset "'" [ language ] "'" value-chars; UTF-8 only here.
function decodeExtValue(ext: string): string | undefined {
  const first = ext.indexOf("'");
  const second = first < 0 ? -1 : ext.indexOf("'", first + 1);
  if (second < 0 || !equalsIgnoreCase(ext.slice(0, first), "UTF-8")) return undefined;
  const decoded = unescapePercent(ext.slice(second + 1));
  return decoded.includes("\ufffd") ? undefined : decoded;
}

function usernameOf(params: ReadonlyMap<string, string>): string | undefined {
  const plain = params.get("username");
  const ext = params.get("username*");
  // RFC 7616 §3.4: username and username* MUST NOT both be present
  if (plain !== undefined && ext !== undefined) return undefined;
  if (ext !== undefined) return decodeExtValue(ext);
  return plain;
}

export function parseCredentials(value: string): CredentialsParse {
  const start = skipWs(value, 0);
  const schemeEnd = scanToken(value, start);
  if (schemeEnd === start) return invalid("no authentication scheme");
  const scheme = value.slice(start, schemeEnd);
  if (!equalsIgnoreCase(scheme, "Digest")) return { ok: false, kind: "unknown-scheme", scheme };
  if (schemeEnd < value.length && !isWs(value.charCodeAt(schemeEnd))) return invalid("bad authentication scheme");
  const params = new Map<string, string>();
  const problem = parseAuthParams(value, schemeEnd, params);
  if (problem !== null) return invalid(problem, params);
  const username = usernameOf(params);
  if (username === undefined) return invalid(params.has("username*") ? "bad username*" : "missing username", params);
  for (const name of REQUIRED) if (name !== "username" && !params.has(name)) return invalid(`missing ${name}`, params);
  const response = params.get("response") as string;
  if (!HEX.test(response)) return invalid("response is not hexadecimal", params);
  const qop = params.get("qop") ?? null;
  const nc = params.get("nc") ?? null;
  const cnonce = params.get("cnonce") ?? null;
  // RFC 7616 §3.4: cnonce and nc MUST be sent with qop (without qop they are not hashed: ignored)
  if (qop !== null && (nc === null || cnonce === null)) return invalid("qop without nc or cnonce", params);
  if (qop !== null && !NC.test(nc as string)) return invalid("nc is not 8 hex digits", params);
  const userhash = params.get("userhash");
  if (userhash !== undefined && !equalsIgnoreCase(userhash, "true") && !equalsIgnoreCase(userhash, "false")) {
    return invalid("bad userhash", params);
  }
  return {
    ok: true,
    credentials: {
      username,
      realm: params.get("realm") as string,
      nonce: params.get("nonce") as string,
      uri: params.get("uri") as string,
      response,
      algorithm: params.get("algorithm") ?? null,
      cnonce: qop === null ? null : cnonce,
      opaque: params.get("opaque") ?? null,
      qop,
      nc: qop === null ? null : nc,
      userhash: userhash !== undefined && equalsIgnoreCase(userhash, "true"),
    },
  };
}
