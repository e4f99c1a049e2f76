import type { SipHeader } from "@/lib/engine/sip/message";

// RFC 3261 §7.3.3 and §20 (plus RFC 3265, 3515, 3892, 4028, 3841, 4474): compact header forms.
const COMPACT = new Map<string, string>([
  ["i", "call-id"],
  ["m", "contact"],
  ["f", "from"],
  ["t", "to"],
  ["v", "via"],
  ["l", "content-length"],
  ["c", "content-type"],
  ["k", "supported"],
  ["s", "subject"],
  ["e", "content-encoding"],
  ["o", "event"],
  ["u", "allow-events"],
  ["r", "refer-to"],
  ["b", "referred-by"],
  ["x", "session-expires"],
  ["a", "accept-contact"],
  ["j", "reject-contact"],
  ["d", "request-disposition"],
  ["y", "identity"],
  ["n", "identity-info"],
]);

const KEY_CACHE = new Map<string, string>();
// Bounded so that a stream of invented header names cannot grow memory.
const KEY_CACHE_LIMIT = 512;

/** The lower-case full name a header is known by (RFC 3261 §7.3.1: names are case-insensitive). */
export function headerKey(name: string): string {
  const cached = KEY_CACHE.get(name);
  if (cached !== undefined) return cached;
  const lower = name.toLowerCase();
  const key = COMPACT.get(lower) ?? lower;
  if (KEY_CACHE.size < KEY_CACHE_LIMIT && name.length <= 32) KEY_CACHE.set(name, key);
  return key;
}

export function makeHeader(name: string, value: string): SipHeader {
  return { name, key: headerKey(name), value };
}

/** Names shown in reason phrases, by key. */
export const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  via: "Via",
  from: "From",
  to: "To",
  "call-id": "Call-ID",
  cseq: "CSeq",
  "max-forwards": "Max-Forwards",
  contact: "Contact",
  "content-type": "Content-Type",
  "content-length": "Content-Length",
  expires: "Expires",
  route: "Route",
  "record-route": "Record-Route",
  require: "Require",
  "proxy-require": "Proxy-Require",
};
