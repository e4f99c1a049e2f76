// The SIP message model (RFC 3261 §7). Header values are kept as text and parsed on demand by the
// accessors, so that a message the engine only forwards or answers is never fully decoded.

/** One header line: the name as spelled on the wire, the value unfolded and trimmed. */
export interface SipHeader {
  readonly name: string;
  /** Lower-case full name, compact forms expanded (RFC 3261 §7.3.3): "v" and "VIA" give "via". */
  readonly key: string;
  readonly value: string;
}

interface SipMessageBase {
  /** "SIP/2.0" as received (RFC 3261 §7.1: compared case-insensitively). */
  readonly version: string;
  readonly headers: readonly SipHeader[];
  /** The body byte for byte: a view on the received bytes, not a copy. */
  readonly body: Buffer;
}

export interface SipRequest extends SipMessageBase {
  readonly kind: "request";
  readonly method: string;
  /** The Request-URI as received; `getRequestUri` parses it. */
  readonly uri: string;
}

export interface SipResponse extends SipMessageBase {
  readonly kind: "response";
  readonly status: number;
  readonly reason: string;
}

export type SipMessage = SipRequest | SipResponse;

/** Outcome of parsing one header value. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** A header to add when building a message: [name, value]. */
export type HeaderInit = readonly [name: string, value: string];

export const SIP_VERSION = "SIP/2.0";

export function parsedOk<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function parsedFail<T>(reason: string): Parsed<T> {
  return { ok: false, reason };
}
