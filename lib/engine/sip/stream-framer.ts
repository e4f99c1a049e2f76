import {
  assemble,
  CRLFCRLF,
  decodeHead,
  failFromHead,
  readContentLength,
  skipLeadingCrlf,
  type ParseResult,
} from "@/lib/engine/sip/framing";
import type { SipHeader } from "@/lib/engine/sip/message";

export interface FrameOptions {
  /** Largest header section accepted; past it the stream is unrecoverable. Default 16 KiB. */
  readonly maxHeaderBytes?: number;
  /** Largest Content-Length accepted. Default 64 KiB. */
  readonly maxBodyBytes?: number;
}

export type FrameResult =
  /** A whole message was framed; `parsed` may still be a failure to answer with 400. Drop `consumed` bytes. */
  | { readonly kind: "message"; readonly parsed: ParseResult; readonly consumed: number }
  /**
   * Not a whole message yet. `consumed` leading CRLF bytes (keep-alives) may be dropped now;
   * `needed` is the total buffer length the message needs, when already known.
   */
  | { readonly kind: "need-more"; readonly consumed: number; readonly needed: number | null }
  /** Framing is lost (RFC 3261 §18.3): the connection should be closed. */
  | { readonly kind: "error"; readonly reason: string; readonly headers: readonly SipHeader[] };

const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** Frames the next message in the bytes accumulated from a stream transport (TCP, TLS). */
export function frameStream(bytes: Buffer, options: FrameOptions = {}): FrameResult {
  const maxHeader = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const start = skipLeadingCrlf(bytes, 0);
  const headEnd = bytes.indexOf(CRLFCRLF, start);
  if (headEnd < 0) {
    if (bytes.length - start > maxHeader) return { kind: "error", reason: "Header section too large", headers: [] };
    return { kind: "need-more", consumed: start, needed: null };
  }
  if (headEnd - start > maxHeader) return { kind: "error", reason: "Header section too large", headers: [] };
  const head = decodeHead(bytes, start, headEnd);
  const contentLength = readContentLength(head.headers);
  // RFC 3261 §18.3: on a stream, Content-Length is the only way to find where the message ends
  if (contentLength.kind === "absent")
    return { kind: "error", reason: "Missing Content-Length on a stream", headers: head.headers };
  if (contentLength.kind === "invalid") return { kind: "error", reason: contentLength.reason, headers: head.headers };
  if (contentLength.length > maxBody) return { kind: "error", reason: "Message body too large", headers: head.headers };
  const end = headEnd + 4 + contentLength.length;
  if (bytes.length < end) return { kind: "need-more", consumed: start, needed: end };
  let parsed: ParseResult;
  if (!head.start.ok) parsed = failFromHead(head, head.start.reason);
  else if (head.problem !== null) parsed = failFromHead(head, head.problem);
  else
    parsed = {
      ok: true,
      message: assemble(head.start.line, head.headers, bytes.subarray(headEnd + 4, end)),
      consumed: end,
    };
  return { kind: "message", parsed, consumed: end };
}
