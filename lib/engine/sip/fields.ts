import { isAllClass, isClass, isDigit, isWs, skipWs, TOKEN, trimWs, WORD } from "@/lib/engine/sip/chars";
import { parsedFail, parsedOk, type Parsed } from "@/lib/engine/sip/message";
import { parseHeaderParams, type HeaderParam } from "@/lib/engine/sip/params";
import { splitList } from "@/lib/engine/sip/text";

export const MAX_UINT32 = 4294967295;

/** A run of decimal digits as a number, or null when it is not one or exceeds `max`. */
export function parseBoundedInt(s: string, max: number): number | null {
  if (s.length === 0) return null;
  let start = 0;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return null;
  // Leading zeros are legal ("0068"): strip them before judging the size.
  while (start < s.length - 1 && s.charCodeAt(start) === 48) start++;
  if (s.length - start > 15) return null;
  const n = Number(start === 0 ? s : s.slice(start));
  return n <= max ? n : null;
}

export interface CSeq {
  readonly number: number;
  readonly method: string;
}

/** RFC 3261 §20.16: CSeq = 1*DIGIT LWS Method, the number below 2**31 when sent, 2**32-1 at most. */
export function parseCSeq(value: string): Parsed<CSeq> {
  let i = 0;
  while (i < value.length && isDigit(value.charCodeAt(i))) i++;
  if (i === 0 || !isWs(value.charCodeAt(i))) return parsedFail("Malformed CSeq");
  const number = parseBoundedInt(value.slice(0, i), MAX_UINT32);
  if (number === null) return parsedFail("CSeq number out of range");
  const method = trimWs(value.slice(skipWs(value, i)));
  if (!isAllClass(method, TOKEN)) return parsedFail("Malformed CSeq");
  return parsedOk({ number, method });
}

/** RFC 3261 §20.22: Max-Forwards is an integer 0-255. */
export function parseMaxForwards(value: string): Parsed<number> {
  const n = parseBoundedInt(value, 255);
  return n === null ? parsedFail("Malformed Max-Forwards") : parsedOk(n);
}

/** RFC 3261 §25.1: callid = word [ "@" word ]. */
export function isValidCallId(value: string): boolean {
  const at = value.indexOf("@");
  if (at === 0 || at === value.length - 1) return false;
  for (let i = 0; i < value.length; i++) {
    if (i !== at && !isClass(value.charCodeAt(i), WORD)) return false;
  }
  return value.length > 0;
}

/** delta-seconds (RFC 3261 §25.1): 0 to 2**32-1, else null. */
export function parseDeltaSeconds(value: string): number | null {
  return parseBoundedInt(trimWs(value), MAX_UINT32);
}

/** Option tags of Require / Proxy-Require / Supported lines (RFC 3261 §19.2); an empty line lists none. */
export function parseOptionTags(lines: readonly string[]): Parsed<string[]> {
  const tags: string[] = [];
  for (const line of lines) {
    if (line.length === 0) continue;
    for (const tag of splitList(line)) {
      if (!isAllClass(tag, TOKEN)) return parsedFail("bad option tag");
      tags.push(tag);
    }
  }
  return parsedOk(tags);
}

export interface MediaType {
  /** Lower-case type and subtype. */
  readonly type: string;
  readonly subtype: string;
  readonly params: readonly HeaderParam[];
}

/** RFC 3261 §20.15: media-type = m-type SLASH m-subtype *( SEMI m-parameter ). */
export function parseMediaType(value: string): Parsed<MediaType> {
  const slash = value.indexOf("/");
  if (slash < 0) return parsedFail("Malformed Content-Type");
  let end = skipWs(value, slash + 1);
  const subStart = end;
  while (end < value.length && isClass(value.charCodeAt(end), TOKEN)) end++;
  const type = trimWs(value.slice(0, slash));
  if (!isAllClass(type, TOKEN) || end === subStart) return parsedFail("Malformed Content-Type");
  const params = parseHeaderParams(value, end);
  if (!params.ok) return parsedFail("Malformed Content-Type");
  return parsedOk({
    type: type.toLowerCase(),
    subtype: value.slice(subStart, end).toLowerCase(),
    params: params.value,
  });
}

/** RFC 3261 §25.1: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ); null when malformed. */
export function parseQValue(raw: string): number | null {
  if (raw.length === 0 || raw.length > 5 || (raw[0] !== "0" && raw[0] !== "1")) return null;
  if (raw.length > 1 && (raw[1] !== "." || !isAllDigits(raw.slice(2)))) return null;
  const q = Number(raw);
  return q <= 1 ? q : null;
}

function isAllDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}
