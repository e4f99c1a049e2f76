import { equalsIgnoreCase, isClass, isHex, UNRESERVED } from "@/lib/engine/sip/chars";
import { parseUri, type SipUri, type Uri, type UriParam } from "@/lib/engine/sip/uri";

// RFC 3261 §10.3 step 7: a Contact finds its binding by the URI comparison rules of §19.1.4,
// not by bytes, so "sip:%61lice@AtLanTa.CoM" refreshes the binding "sip:alice@atlanta.com".

// RFC 3261 §19.1.4: a parameter named here must be in both URIs or in neither.
const MUST_MATCH = ["user", "ttl", "method", "maddr", "transport"];

function hexValue(code: number): number {
  return code <= 57 ? code - 48 : (code | 32) - 87;
}

/** RFC 3261 §19.1.4: an escaped unreserved character equals the character; other escapes compare in upper case. */
export function normalizeEscapes(s: string): string {
  if (s.indexOf("%") < 0) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 && i + 2 < s.length && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
      const decoded = hexValue(s.charCodeAt(i + 1)) * 16 + hexValue(s.charCodeAt(i + 2));
      out += isClass(decoded, UNRESERVED) ? String.fromCharCode(decoded) : s.slice(i, i + 3).toUpperCase();
      i += 2;
    } else out += s[i];
  }
  return out;
}

function findItem(items: readonly UriParam[], name: string): UriParam | undefined {
  for (const item of items) if (equalsIgnoreCase(normalizeEscapes(item.name), name)) return item;
  return undefined;
}

function sameParamValue(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return equalsIgnoreCase(normalizeEscapes(a), normalizeEscapes(b));
}

function sameParams(a: readonly UriParam[], b: readonly UriParam[]): boolean {
  for (const name of MUST_MATCH) {
    const pa = findItem(a, name);
    const pb = findItem(b, name);
    if ((pa === undefined) !== (pb === undefined)) return false;
  }
  // RFC 3261 §19.1.4: any other parameter is compared only when both URIs carry it
  for (const pa of a) {
    const pb = findItem(b, normalizeEscapes(pa.name));
    if (pb !== undefined && !sameParamValue(pa.value, pb.value)) return false;
  }
  return true;
}

// RFC 3261 §19.1.4: header components are never ignored; names are case-insensitive, values exact.
function sameHeaders(a: readonly UriParam[], b: readonly UriParam[]): boolean {
  if (a.length !== b.length) return false;
  for (const ha of a) {
    const hb = findItem(b, normalizeEscapes(ha.name));
    if (hb === undefined) return false;
    if (normalizeEscapes(ha.value ?? "") !== normalizeEscapes(hb.value ?? "")) return false;
  }
  return true;
}

function sameSipUri(a: SipUri, b: SipUri): boolean {
  if (a.scheme !== b.scheme || a.port !== b.port || !equalsIgnoreCase(a.host, b.host)) return false;
  // RFC 3261 §19.1.4: userinfo is case-sensitive
  if ((a.user === null ? null : normalizeEscapes(a.user)) !== (b.user === null ? null : normalizeEscapes(b.user)))
    return false;
  if (
    (a.password === null ? null : normalizeEscapes(a.password)) !==
    (b.password === null ? null : normalizeEscapes(b.password))
  )
    return false;
  return sameParams(a.params, b.params) && sameHeaders(a.headers, b.headers);
}

/** RFC 3261 §19.1.4 equivalence; other schemes (tel:, …) compare scheme and escape-normalized rest. */
export function sameUri(a: Uri, b: Uri): boolean {
  if (a.raw === b.raw) return true;
  if (a.kind === "sip" && b.kind === "sip") return sameSipUri(a, b);
  if (a.kind === "other" && b.kind === "other")
    return a.scheme === b.scheme && normalizeEscapes(a.opaque) === normalizeEscapes(b.opaque);
  return false;
}

/** Compares a parsed URI with a stored one kept as text; identical bytes need no parsing. */
export function sameUriAsText(a: Uri, stored: string): boolean {
  if (a.raw === stored) return true;
  const b = parseUri(stored);
  return b.ok && sameUri(a, b.value);
}
