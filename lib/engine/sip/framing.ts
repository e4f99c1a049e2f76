import { parseBoundedInt } from "@/lib/engine/sip/fields";
import { splitHead, type Head } from "@/lib/engine/sip/head";
import type { SipHeader, SipMessage } from "@/lib/engine/sip/message";
import type { MessageKind, StartLine } from "@/lib/engine/sip/start-line";

export interface ParseOk {
  readonly ok: true;
  readonly message: SipMessage;
  /** Bytes of the input that made the message; UDP octets after the body are not counted. */
  readonly consumed: number;
}

export interface ParseFailure {
  readonly ok: false;
  /** A short reason, fit for a 400 reason phrase. */
  readonly reason: string;
  readonly kind: MessageKind;
  /** The request method when the Request-Line got that far. */
  readonly method: string | null;
  /** The header lines that could be split, so that a request can still be answered (RFC 3261 §8.2.6). */
  readonly headers: readonly SipHeader[];
}

export type ParseResult = ParseOk | ParseFailure;

export const CRLFCRLF = Buffer.from("\r\n\r\n", "latin1");

/** RFC 3261 §7.5: CRLFs before the start line are ignored (they are also RFC 5626 keep-alives). */
export function skipLeadingCrlf(bytes: Buffer, from: number): number {
  let i = from;
  while (i + 1 < bytes.length && bytes[i] === 13 && bytes[i + 1] === 10) i += 2;
  return i;
}

/**
 * Decodes the header section once. RFC 3261 §25.1: header text is UTF-8 (TEXT-UTF8); bytes that
 * are not UTF-8 become U+FFFD, and the body is never decoded.
 */
export function decodeHead(bytes: Buffer, start: number, end: number): Head {
  return splitHead(bytes.toString("utf8", start, end));
}

export function failFromHead(head: Head, reason: string): ParseFailure {
  const kind = head.start.ok ? head.start.line.kind : head.start.kind;
  const method = head.start.ok
    ? head.start.line.kind === "request"
      ? head.start.line.method
      : null
    : head.start.method;
  return { ok: false, reason, kind, method, headers: head.headers };
}

export type ContentLength =
  | { readonly kind: "absent" }
  | { readonly kind: "value"; readonly length: number }
  | { readonly kind: "invalid"; readonly reason: string };

const ABSENT: ContentLength = { kind: "absent" };
// A body larger than this cannot be framed on any transport the engine speaks.
const MAX_CONTENT_LENGTH = 16 * 1024 * 1024;

/** RFC 3261 §20.14: Content-Length = 1*DIGIT; several lines must agree. */
export function readContentLength(headers: readonly SipHeader[]): ContentLength {
  let found: number | null = null;
  for (const h of headers) {
    if (h.key !== "content-length") continue;
    const n = parseBoundedInt(h.value, MAX_CONTENT_LENGTH);
    if (n === null) return { kind: "invalid", reason: "Bad Content-Length" };
    if (found !== null && found !== n) return { kind: "invalid", reason: "Conflicting Content-Length values" };
    found = n;
  }
  return found === null ? ABSENT : { kind: "value", length: found };
}

/** Builds the message once its start line has parsed. */
export function assemble(line: StartLine, headers: readonly SipHeader[], body: Buffer): SipMessage {
  if (line.kind === "request")
    return { kind: "request", method: line.method, uri: line.uri, version: line.version, headers, body };
  return { kind: "response", status: line.status, reason: line.reason, version: line.version, headers, body };
}
