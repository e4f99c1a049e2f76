import { isAllClass, isDigit, TOKEN } from "@/lib/engine/sip/chars";

export type StartLine =
  | { readonly kind: "request"; readonly method: string; readonly uri: string; readonly version: string }
  | { readonly kind: "response"; readonly version: string; readonly status: number; readonly reason: string };

export type MessageKind = "request" | "response" | "unknown";

export type StartLineResult =
  | { readonly ok: true; readonly line: StartLine }
  | { readonly ok: false; readonly reason: string; readonly kind: MessageKind; readonly method: string | null };

/** RFC 3261 §7.1: SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT, the literal case-insensitive. */
export function isSipVersion(s: string): boolean {
  if (s.length < 7 || (s.charCodeAt(0) | 32) !== 115 || (s.charCodeAt(1) | 32) !== 105) return false;
  if ((s.charCodeAt(2) | 32) !== 112 || s.charCodeAt(3) !== 47) return false;
  const dot = s.indexOf(".", 4);
  if (dot <= 4 || dot === s.length - 1) return false;
  for (let i = 4; i < s.length; i++) if (i !== dot && !isDigit(s.charCodeAt(i))) return false;
  return true;
}

function looksLikeResponse(line: string): boolean {
  return (
    line.length >= 4 &&
    (line.charCodeAt(0) | 32) === 115 &&
    (line.charCodeAt(1) | 32) === 105 &&
    (line.charCodeAt(2) | 32) === 112 &&
    line.charCodeAt(3) === 47
  );
}

export function parseStartLine(line: string): StartLineResult {
  return looksLikeResponse(line) ? parseStatusLine(line) : parseRequestLine(line);
}

function badStatus(): StartLineResult {
  return { ok: false, reason: "Bad Status-Line", kind: "response", method: null };
}

// RFC 3261 §7.2: Status-Line = SIP-Version SP Status-Code SP Reason-Phrase, Status-Code = 3DIGIT
function parseStatusLine(line: string): StartLineResult {
  const sp = line.indexOf(" ");
  if (sp < 0 || !isSipVersion(line.slice(0, sp))) return badStatus();
  const codeEnd = sp + 4;
  for (let i = sp + 1; i < codeEnd; i++) if (!isDigit(line.charCodeAt(i))) return badStatus();
  if (codeEnd < line.length && line.charCodeAt(codeEnd) !== 32) return badStatus();
  const status = Number(line.slice(sp + 1, codeEnd));
  if (status < 100 || status > 699) return badStatus();
  const reason = codeEnd < line.length ? line.slice(codeEnd + 1) : "";
  return { ok: true, line: { kind: "response", version: line.slice(0, sp), status, reason } };
}

// RFC 3261 §7.1: Request-Line = Method SP Request-URI SP SIP-Version CRLF, single SPs, no LWS in the URI
function parseRequestLine(line: string): StartLineResult {
  const sp1 = line.indexOf(" ");
  const method = sp1 < 0 ? line : line.slice(0, sp1);
  const known = isAllClass(method, TOKEN) ? method : null;
  const fail = (reason: string): StartLineResult => ({
    ok: false,
    reason,
    kind: known === null ? "unknown" : "request",
    method: known,
  });
  if (known === null) return fail("Bad Request-Line");
  if (sp1 < 0) return fail("Bad Request-Line");
  if (line.charCodeAt(line.length - 1) === 32) return fail("Trailing whitespace in Request-Line");
  const sp2 = line.lastIndexOf(" ");
  if (sp2 === sp1) return fail("Missing SIP-Version in Request-Line");
  const version = line.slice(sp2 + 1);
  if (!isSipVersion(version)) return fail("Bad SIP-Version in Request-Line");
  const uri = line.slice(sp1 + 1, sp2);
  if (uri.length === 0 || uri.charCodeAt(0) === 32 || uri.charCodeAt(uri.length - 1) === 32) {
    return fail("Extra whitespace in Request-Line");
  }
  for (let i = 0; i < uri.length; i++) {
    const c = uri.charCodeAt(i);
    if (c === 32 || c === 9) return fail("Whitespace in Request-URI");
    // RFC 3261 §25.1: no URI character is a control character; a bare CR or LF here is hostile
    if (c < 32 || c === 127) return fail("Control character in Request-URI");
  }
  return { ok: true, line: { kind: "request", method, uri, version } };
}
