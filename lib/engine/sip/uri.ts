import {
  equalsIgnoreCase,
  HEADER,
  HOST,
  isDigit,
  isHex,
  PARAM,
  PASSWORD,
  scanClass,
  scanDigits,
  scanEscaped,
  USER,
} from "@/lib/engine/sip/chars";
import { parsedFail, parsedOk, type Parsed } from "@/lib/engine/sip/message";

/** A URI parameter or header; names and values keep their %-escapes as received. */
export interface UriParam {
  readonly name: string;
  readonly value: string | null;
}

/** A sip: or sips: URI (RFC 3261 §19.1.1). Components keep their %-escapes; see unescapePercent. */
export interface SipUri {
  readonly kind: "sip";
  readonly raw: string;
  readonly scheme: "sip" | "sips";
  readonly user: string | null;
  readonly password: string | null;
  /** Host as written; an IPv6 reference keeps its brackets ("[2001:db8::1]"). */
  readonly host: string;
  readonly port: number | null;
  readonly params: readonly UriParam[];
  readonly headers: readonly UriParam[];
}

/** Any other absoluteURI (tel:, http:, isbn:, …): scheme and the opaque rest. */
export interface OtherUri {
  readonly kind: "other";
  readonly raw: string;
  readonly scheme: string;
  readonly opaque: string;
}

export type Uri = SipUri | OtherUri;

// RFC 3261 §25.1 / RFC 2396: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
function isScheme(s: string, end: number): boolean {
  const first = s.charCodeAt(0) | 32;
  if (first < 97 || first > 122) return false;
  for (let i = 1; i < end; i++) {
    const c = s.charCodeAt(i);
    const alpha = (c | 32) >= 97 && (c | 32) <= 122;
    if (!alpha && !isDigit(c) && c !== 43 && c !== 45 && c !== 46) return false;
  }
  return true;
}

function isOpaque(s: string, start: number): boolean {
  if (start >= s.length) return false;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c >= 127 || c === 34 || c === 60 || c === 62) return false;
  }
  return true;
}

export function parseUri(raw: string): Parsed<Uri> {
  const colon = raw.indexOf(":");
  if (colon <= 0 || !isScheme(raw, colon)) return parsedFail("missing or bad URI scheme");
  const scheme = raw.slice(0, colon).toLowerCase();
  if (scheme === "sip" || scheme === "sips") return parseSipUri(raw, scheme, colon + 1);
  if (!isOpaque(raw, colon + 1)) return parsedFail(`bad ${scheme} URI`);
  return parsedOk({ kind: "other", raw, scheme, opaque: raw.slice(colon + 1) });
}

/** End of the host at `i` (hostname, IPv4 or bracketed IPv6 reference), or -1. */
export function scanHost(s: string, i: number): number {
  if (s.charCodeAt(i) !== 91) {
    const end = scanClass(s, i, HOST);
    return end === i ? -1 : end;
  }
  const close = s.indexOf("]", i);
  if (close < 0) return -1;
  let colons = 0;
  for (let k = i + 1; k < close; k++) {
    const c = s.charCodeAt(k);
    if (c === 58) colons++;
    else if (!isHex(c) && c !== 46) return -1;
  }
  return colons >= 2 ? close + 1 : -1;
}

export function parsePort(s: string, start: number, end: number): number | null {
  if (end === start || end - start > 5) return null;
  const port = Number(s.slice(start, end));
  return port <= 65535 ? port : null;
}

/** Parses `;name[=value]` or `&name[=value]` items of class `flag` from `i`; returns the end or -1. */
function scanItems(
  s: string,
  i: number,
  separator: number,
  flag: number,
  out: UriParam[],
  emptyValue: boolean,
): number {
  while (s.charCodeAt(i) === separator) {
    const nameEnd = scanEscaped(s, i + 1, flag);
    if (nameEnd <= i + 1) return -1;
    let value: string | null = null;
    let end = nameEnd;
    if (s.charCodeAt(nameEnd) === 61) {
      end = scanEscaped(s, nameEnd + 1, flag);
      if (end < 0 || (end === nameEnd + 1 && !emptyValue)) return -1;
      value = s.slice(nameEnd + 1, end);
    }
    out.push({ name: s.slice(i + 1, nameEnd), value });
    i = end;
  }
  return i;
}

function parseSipUri(raw: string, scheme: "sip" | "sips", start: number): Parsed<Uri> {
  let user: string | null = null;
  let password: string | null = null;
  let i = start;
  // RFC 3261 §25.1: "@" appears in no other part of a SIP URI, so the first one ends the userinfo
  const at = raw.indexOf("@", start);
  if (at >= 0) {
    const colon = raw.indexOf(":", start);
    const userEnd = colon >= 0 && colon < at ? colon : at;
    if (userEnd === start || scanEscaped(raw, start, USER) !== userEnd) return parsedFail("bad user part");
    user = raw.slice(start, userEnd);
    if (userEnd < at) {
      if (scanEscaped(raw, userEnd + 1, PASSWORD) !== at) return parsedFail("bad password");
      password = raw.slice(userEnd + 1, at);
    }
    i = at + 1;
  }
  const hostEnd = scanHost(raw, i);
  if (hostEnd < 0) return parsedFail("bad host");
  const host = raw.slice(i, hostEnd);
  i = hostEnd;
  let port: number | null = null;
  if (raw.charCodeAt(i) === 58) {
    const end = scanDigits(raw, i + 1);
    port = parsePort(raw, i + 1, end);
    if (port === null) return parsedFail("bad port");
    i = end;
  }
  const params: UriParam[] = [];
  i = scanItems(raw, i, 59, PARAM, params, false);
  if (i < 0) return parsedFail("bad URI parameter");
  const headers: UriParam[] = [];
  if (raw.charCodeAt(i) === 63) {
    i = scanItems(raw, i, 63, HEADER, headers, true);
    if (i >= 0) i = scanItems(raw, i, 38, HEADER, headers, true);
    if (i < 0) return parsedFail("bad URI header");
  }
  if (i !== raw.length) return parsedFail("unexpected character in SIP URI");
  return parsedOk({ kind: "sip", raw, scheme, user, password, host, port, params, headers });
}

/** The URI's "user" / "transport" / … parameter value; null when valueless, undefined when absent. */
export function uriParam(uri: SipUri, name: string): string | null | undefined {
  for (const p of uri.params) if (equalsIgnoreCase(p.name, name)) return p.value;
  return undefined;
}
