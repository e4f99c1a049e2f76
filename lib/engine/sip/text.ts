import { isHex, trimWs } from "@/lib/engine/sip/chars";

/** Index just past the closing quote of the quoted-string opening at `start`, or -1 when unterminated. */
export function skipQuoted(s: string, start: number): number {
  for (let i = start + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // RFC 3261 §25.1: quoted-pair = "\" followed by any one character
    if (c === 92) i++;
    else if (c === 34) return i + 1;
  }
  return -1;
}

/** The content of a quoted-string (quotes included in the input), quoted-pairs resolved. */
export function unquote(quoted: string): string {
  const inner = quoted.slice(1, -1);
  if (inner.indexOf("\\") < 0) return inner;
  let out = "";
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === "\\" && i + 1 < inner.length) out += inner[++i];
    else out += c;
  }
  return out;
}

/**
 * Splits a header value on the commas that separate values (RFC 3261 §7.3.1), not on those inside
 * a quoted-string or between < and >. Elements are trimmed; empty elements are kept so that the
 * caller can refuse them.
 */
export function splitList(value: string): string[] {
  let depth = 0;
  let from = 0;
  let out: string[] | null = null;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 34) {
      const end = skipQuoted(value, i);
      if (end < 0) break;
      i = end - 1;
    } else if (c === 60) depth++;
    else if (c === 62 && depth > 0) depth--;
    else if (c === 44 && depth === 0) {
      (out ??= []).push(trimWs(value.slice(from, i)));
      from = i + 1;
    }
  }
  if (out === null) return [value];
  out.push(trimWs(value.slice(from)));
  return out;
}

/**
 * Decodes `%HH` escapes once. RFC 4475 §3.1.1.3: unescaping is never recursive, so "%2541" gives
 * "%41", not "A". Bytes are read as UTF-8; %00 stays a NUL character instead of ending the string.
 */
export function unescapePercent(s: string): string {
  if (s.indexOf("%") < 0) return s;
  const bytes = Buffer.from(s, "utf8");
  let w = 0;
  for (let r = 0; r < bytes.length; r++) {
    const b = bytes[r];
    if (b === 37 && r + 2 < bytes.length && isHex(bytes[r + 1]) && isHex(bytes[r + 2])) {
      bytes[w++] = parseInt(String.fromCharCode(bytes[r + 1], bytes[r + 2]), 16);
      r += 2;
    } else bytes[w++] = b;
  }
  return bytes.toString("utf8", 0, w);
}
