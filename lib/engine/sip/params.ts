import { equalsIgnoreCase, isClass, isWs, skipWs, TOKEN } from "@/lib/engine/sip/chars";
import { parsedFail, parsedOk, type Parsed } from "@/lib/engine/sip/message";
import { skipQuoted, unquote } from "@/lib/engine/sip/text";

/** A header parameter (`;name[=value]`); a quoted value keeps its quotes. */
export interface HeaderParam {
  readonly name: string;
  readonly value: string | null;
}

// RFC 3261 §25.1: gen-value = token / host / quoted-string; host adds ":" "[" "]" for IPv6.
function scanGenValue(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (isClass(c, TOKEN) || c === 58 || c === 91 || c === 93) i++;
    else break;
  }
  return i;
}

/**
 * Parses `*( SEMI generic-param )` from `start` to the end of `s`, LWS allowed around ";" and "="
 * (RFC 3261 §25.1 SEMI, EQUAL). Empty parameters (";;") are refused.
 */
export function parseHeaderParams(s: string, start: number): Parsed<HeaderParam[]> {
  const params: HeaderParam[] = [];
  let i = skipWs(s, start);
  while (i < s.length) {
    if (s.charCodeAt(i) !== 59) return parsedFail("unexpected text after value");
    i = skipWs(s, i + 1);
    let end = i;
    while (end < s.length && isClass(s.charCodeAt(end), TOKEN)) end++;
    if (end === i) return parsedFail("empty parameter");
    const name = s.slice(i, end);
    i = skipWs(s, end);
    let value: string | null = null;
    if (s.charCodeAt(i) === 61) {
      i = skipWs(s, i + 1);
      end = s.charCodeAt(i) === 34 ? skipQuoted(s, i) : scanGenValue(s, i);
      if (end < 0) return parsedFail("unterminated quoted string");
      if (end === i) return parsedFail(`empty value for parameter ${name}`);
      value = s.slice(i, end);
      i = skipWs(s, end);
    }
    if (i < s.length && !isWs(s.charCodeAt(i)) && s.charCodeAt(i) !== 59) return parsedFail(`bad parameter ${name}`);
    params.push({ name, value });
  }
  return parsedOk(params);
}

export function findParam<P extends { readonly name: string }>(params: readonly P[], name: string): P | undefined {
  for (const p of params) if (equalsIgnoreCase(p.name, name)) return p;
  return undefined;
}

/** The parameter's value (unquoted when quoted), null when it has none, undefined when absent. */
export function paramValue(params: readonly HeaderParam[], name: string): string | null | undefined {
  const p = findParam(params, name);
  if (p === undefined) return undefined;
  if (p.value === null) return null;
  return p.value.charCodeAt(0) === 34 ? unquote(p.value) : p.value;
}
