// Character classes of the RFC 3261 §25.1 grammar, as bit flags over ASCII: one table lookup per
// character instead of a regular expression per byte.

export const TOKEN = 1;
export const UNRESERVED = 2;
/** user = 1*( unreserved / escaped / user-unreserved ) */
export const USER = 4;
export const PASSWORD = 8;
/** paramchar = param-unreserved / unreserved / escaped */
export const PARAM = 16;
/** hname / hvalue characters of URI headers */
export const HEADER = 32;
/** word, as used by Call-ID */
export const WORD = 64;
export const HOST = 128;

const classes = new Uint8Array(128);

function mark(chars: string, flags: number): void {
  for (let i = 0; i < chars.length; i++) classes[chars.charCodeAt(i)] |= flags;
}

mark("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 255);
mark("-_.!~*'()", UNRESERVED | USER | PASSWORD | PARAM | HEADER | WORD);
mark("-.!%*_+`'~", TOKEN | WORD);
mark('()<>:\\"/[]?{}', WORD);
mark("&=+$,;?/", USER);
mark("&=+$,", PASSWORD);
mark("[]/:&+$", PARAM);
mark("[]/?:+$", HEADER);
// Underscores are not in the hostname grammar, but deployed hosts use them; accepting costs nothing.
mark("-._", HOST);

export function isClass(code: number, flag: number): boolean {
  return code < 128 && (classes[code] & flag) !== 0;
}

/** End of the run of `flag` characters starting at `i`. */
export function scanClass(s: string, i: number, flag: number): number {
  while (i < s.length && isClass(s.charCodeAt(i), flag)) i++;
  return i;
}

export function isAllClass(s: string, flag: number): boolean {
  return s.length > 0 && scanClass(s, 0, flag) === s.length;
}

export function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function scanDigits(s: string, i: number): number {
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i;
}

/**
 * End of the run of `flag` characters or `%HH` escapes starting at `i`, or -1 when a `%` is not
 * followed by two hex digits (RFC 3261 §25.1: escaped = "%" HEXDIG HEXDIG).
 */
export function scanEscaped(s: string, i: number, flag: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      if (!isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) return -1;
      i += 3;
    } else if (isClass(c, flag)) i++;
    else break;
  }
  return i;
}

export function isWs(code: number): boolean {
  return code === 32 || code === 9;
}

export function skipWs(s: string, i: number): number {
  while (i < s.length && isWs(s.charCodeAt(i))) i++;
  return i;
}

/** Trims SP and HT only (String#trim would also eat Unicode spaces that belong to a value). */
export function trimWs(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isWs(s.charCodeAt(start))) start++;
  while (end > start && isWs(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

export function hasWs(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isWs(s.charCodeAt(i))) return true;
  return false;
}

/** Case-insensitive ASCII equality without allocating lower-case copies. */
export function equalsIgnoreCase(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x !== y) return false;
  }
  return true;
}
