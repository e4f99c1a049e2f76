import { isAllClass, isWs, TOKEN, trimWs } from "@/lib/engine/sip/chars";
import { makeHeader } from "@/lib/engine/sip/header-names";
import type { SipHeader } from "@/lib/engine/sip/message";
import { parseStartLine, type StartLineResult } from "@/lib/engine/sip/start-line";

/** The header section of a message split into its start line and header lines. */
export interface Head {
  readonly start: StartLineResult;
  readonly headers: readonly SipHeader[];
  /** The first header-level syntax problem, or null. */
  readonly problem: string | null;
}

function indexOfColon(text: string, from: number, end: number): number {
  for (let i = from; i < end; i++) if (text.charCodeAt(i) === 58) return i;
  return -1;
}

/** Splits and unfolds the header section `text` (without its terminating empty line). */
export function splitHead(text: string): Head {
  const len = text.length;
  let eol = text.indexOf("\r\n");
  if (eol < 0) eol = len;
  const start = parseStartLine(text.slice(0, eol));
  const headers: SipHeader[] = [];
  let problem: string | null = null;
  let name = "";
  let value = "";
  let pending = false;
  for (let pos = eol + 2; pos < len;) {
    let end = text.indexOf("\r\n", pos);
    if (end < 0) end = len;
    if (isWs(text.charCodeAt(pos))) {
      // RFC 3261 §7.3.1: a line starting with whitespace continues the previous header (folding)
      const more = trimWs(text.slice(pos, end));
      if (!pending) problem ??= "Continuation line before any header";
      else if (more.length > 0) value = value.length > 0 ? `${value} ${more}` : more;
    } else if (end > pos) {
      if (pending) headers.push(makeHeader(name, value));
      pending = false;
      const colon = indexOfColon(text, pos, end);
      name = colon < 0 ? "" : trimWs(text.slice(pos, colon));
      if (colon < 0) problem ??= "Header line without colon";
      else if (!isAllClass(name, TOKEN)) problem ??= "Bad header name";
      else {
        value = trimWs(text.slice(colon + 1, end));
        pending = true;
      }
    }
    pos = end + 2;
  }
  if (pending) headers.push(makeHeader(name, value));
  return { start, headers, problem };
}
