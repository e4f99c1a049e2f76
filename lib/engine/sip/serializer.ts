import { makeHeader } from "@/lib/engine/sip/header-names";
import {
  SIP_VERSION,
  type HeaderInit,
  type SipHeader,
  type SipMessage,
  type SipRequest,
} from "@/lib/engine/sip/message";

const EMPTY_BODY = Buffer.alloc(0);

// RFC 3261 §7.3.1: a value never spans a line break; a bare CR or LF from outside would inject headers.
function oneLine(text: string): string {
  return text.indexOf("\r") < 0 && text.indexOf("\n") < 0 ? text : text.replace(/[\r\n]+/g, " ");
}

/**
 * Serializes a message: start line, header lines in order (one value per line as held), and a
 * Content-Length that always matches the body (RFC 3261 §20.14), in place of any received one.
 */
export function serializeMessage(message: SipMessage): Buffer {
  const body = message.body;
  let head =
    message.kind === "request"
      ? `${oneLine(message.method)} ${oneLine(message.uri)} ${message.version}\r\n`
      : `${message.version} ${message.status} ${oneLine(message.reason)}\r\n`;
  let wroteLength = false;
  for (const h of message.headers) {
    if (h.key === "content-length") {
      if (!wroteLength) head += `${h.name}: ${body.length}\r\n`;
      wroteLength = true;
    } else head += `${h.name}: ${oneLine(h.value)}\r\n`;
  }
  if (!wroteLength) head += `Content-Length: ${body.length}\r\n`;
  head += "\r\n";
  const headBytes = Buffer.byteLength(head, "utf8");
  const out = Buffer.allocUnsafe(headBytes + body.length);
  out.write(head, 0, "utf8");
  body.copy(out, headBytes);
  return out;
}

export function toHeaders(init: readonly HeaderInit[]): SipHeader[] {
  return init.map(([name, value]) => makeHeader(name, value));
}

export interface RequestInit {
  readonly method: string;
  readonly uri: string;
  readonly headers: readonly HeaderInit[];
  readonly body?: Buffer;
}

/** A request to send; serializeMessage adds Content-Length. */
export function buildRequest(init: RequestInit): SipRequest {
  return {
    kind: "request",
    method: init.method,
    uri: init.uri,
    version: SIP_VERSION,
    headers: toHeaders(init.headers),
    body: init.body ?? EMPTY_BODY,
  };
}
