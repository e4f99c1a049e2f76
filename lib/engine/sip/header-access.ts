import { headerKey } from "@/lib/engine/sip/header-names";
import type { SipHeader } from "@/lib/engine/sip/message";
import { splitList } from "@/lib/engine/sip/text";

/** Anything that carries header lines: a message, or a parse failure answered with 400. */
export interface HasHeaders {
  readonly headers: readonly SipHeader[];
}

/** The first value of a header; `name` in any case, long or compact form. */
export function getHeader(message: HasHeaders, name: string): string | undefined {
  const key = headerKey(name);
  for (const h of message.headers) if (h.key === key) return h.value;
  return undefined;
}

/** The value of every line of a header, in order. */
export function getHeaderValues(message: HasHeaders, name: string): string[] {
  const key = headerKey(name);
  const out: string[] = [];
  for (const h of message.headers) if (h.key === key) out.push(h.value);
  return out;
}

/**
 * Every value of a list header (RFC 3261 §7.3.1: "Via: a, b" equals two Via lines), split on the
 * commas outside quoted strings and < >. Not for headers whose values contain commas (Date, WWW-Authenticate).
 */
export function getHeaderList(message: HasHeaders, name: string): string[] {
  const out: string[] = [];
  for (const line of getHeaderValues(message, name)) for (const item of splitList(line)) out.push(item);
  return out;
}

export function countHeaderLines(message: HasHeaders, name: string): number {
  const key = headerKey(name);
  let n = 0;
  for (const h of message.headers) if (h.key === key) n++;
  return n;
}
