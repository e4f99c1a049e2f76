// The address a brute-force counter is kept for: the IP alone, one spelling per address, so that
// changing source port or IPv6 notation does not escape a suspension.
import { isIPv4, isIPv6 } from "node:net";

const MAPPED_DOTTED = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;
const MAPPED_HEX = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

function unmapped(v6: string): string {
  const dotted = MAPPED_DOTTED.exec(v6);
  if (dotted !== null) return dotted[1];
  const hex = MAPPED_HEX.exec(v6);
  if (hex === null) return v6;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/**
 * "203.0.113.5:5060" → "203.0.113.5"; "[2001:DB8:0::1]:5060" → "2001:db8::1";
 * "::ffff:192.0.2.1" → "192.0.2.1". Anything else is only lower-cased.
 */
export function sourceAddress(source: string): string {
  let s = source.trim();
  if (s.startsWith("[")) {
    const close = s.indexOf("]");
    if (close > 0) s = s.slice(1, close);
  } else if (!isIPv6(s)) {
    const colon = s.lastIndexOf(":");
    if (colon > 0 && isIPv4(s.slice(0, colon))) s = s.slice(0, colon);
  }
  if (!isIPv6(s) || s.includes("%")) return s.toLowerCase();
  // The WHATWG URL parser writes an IPv6 address in its RFC 5952 canonical form
  return unmapped(new URL(`http://[${s}]/`).hostname.slice(1, -1));
}
