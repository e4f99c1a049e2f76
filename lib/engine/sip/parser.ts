import {
  assemble,
  CRLFCRLF,
  decodeHead,
  failFromHead,
  readContentLength,
  skipLeadingCrlf,
  type ParseFailure,
  type ParseResult,
} from "@/lib/engine/sip/framing";

const EMPTY: ParseFailure = { ok: false, reason: "Empty message", kind: "unknown", method: null, headers: [] };

/**
 * Parses one UDP datagram (RFC 3261 §7, §18.3). Never throws: hostile bytes give `{ ok: false }`
 * with the reason and whatever header lines could be split, so that a request can be answered 400.
 */
export function parseDatagram(datagram: Buffer): ParseResult {
  const start = skipLeadingCrlf(datagram, 0);
  if (start >= datagram.length) return EMPTY;
  let headEnd = datagram.indexOf(CRLFCRLF, start);
  let bodyStart = headEnd + 4;
  if (headEnd < 0) {
    const endsWithCrlf = datagram[datagram.length - 2] === 13 && datagram[datagram.length - 1] === 10;
    if (!endsWithCrlf) return failFromHead(decodeHead(datagram, start, datagram.length), "Truncated header section");
    // RFC 3261 §18.3: a datagram is one message, so a final header line without the empty line
    // after it can only mean an empty body; accept it rather than guess at anything else.
    headEnd = datagram.length - 2;
    bodyStart = datagram.length;
  }
  const head = decodeHead(datagram, start, headEnd);
  if (!head.start.ok) return failFromHead(head, head.start.reason);
  if (head.problem !== null) return failFromHead(head, head.problem);
  const contentLength = readContentLength(head.headers);
  if (contentLength.kind === "invalid") return failFromHead(head, contentLength.reason);
  const available = datagram.length - bodyStart;
  let length = available;
  if (contentLength.kind === "value") {
    // RFC 3261 §18.3: a datagram that ends before the body does is an error (400 to a request)
    if (contentLength.length > available) return failFromHead(head, "Content-Length larger than the message");
    length = contentLength.length;
  }
  // RFC 3261 §18.3: octets after Content-Length are discarded; without it the body is the rest of the datagram
  const body = datagram.subarray(bodyStart, bodyStart + length);
  return { ok: true, message: assemble(head.start.line, head.headers, body), consumed: bodyStart + length };
}
