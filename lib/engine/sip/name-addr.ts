import { hasWs, isClass, isWs, skipWs, TOKEN, trimWs } from "@/lib/engine/sip/chars";
import { parsedFail, parsedOk, type Parsed } from "@/lib/engine/sip/message";
import { paramValue, parseHeaderParams, type HeaderParam } from "@/lib/engine/sip/params";
import { skipQuoted, unquote } from "@/lib/engine/sip/text";
import { parseUri, type Uri } from "@/lib/engine/sip/uri";

/** From, To, Contact, Route, Record-Route values: ( name-addr / addr-spec ) *( SEMI param ). */
export interface NameAddr {
  /** The display name, quotes removed and quoted-pairs resolved; null when absent. */
  readonly displayName: string | null;
  readonly uri: Uri;
  /** True when the URI was written between < and >. */
  readonly bracketed: boolean;
  /** Header parameters (after the URI), not URI parameters. */
  readonly params: readonly HeaderParam[];
  readonly tag: string | null;
}

function scanTokenDisplayName(s: string, i: number): number {
  while (i < s.length && (isClass(s.charCodeAt(i), TOKEN) || isWs(s.charCodeAt(i)))) i++;
  return i;
}

function finish(
  displayName: string | null,
  uriText: string,
  bracketed: boolean,
  value: string,
  from: number,
): Parsed<NameAddr> {
  const uri = parseUri(uriText);
  if (!uri.ok) return parsedFail(uri.reason);
  const params = parseHeaderParams(value, from);
  if (!params.ok) return params;
  const tag = paramValue(params.value, "tag") ?? null;
  return parsedOk({ displayName, uri: uri.value, bracketed, params: params.value, tag });
}

/** Parses one name-addr or addr-spec value with its header parameters (RFC 3261 §20.10, §20.20, §20.39). */
export function parseNameAddr(value: string): Parsed<NameAddr> {
  let i = skipWs(value, 0);
  if (i === value.length) return parsedFail("empty value");
  let displayName: string | null = null;
  if (value.charCodeAt(i) === 34) {
    const end = skipQuoted(value, i);
    if (end < 0) return parsedFail("unterminated quoted string");
    displayName = unquote(value.slice(i, end));
    i = skipWs(value, end);
    if (value.charCodeAt(i) !== 60) return parsedFail("expected < after display name");
  } else if (value.charCodeAt(i) !== 60) {
    const end = scanTokenDisplayName(value, i);
    if (value.charCodeAt(end) !== 60) {
      const lt = value.indexOf("<", end);
      const semi = value.indexOf(";", i);
      // RFC 3261 §25.1: an unquoted display-name is *(token LWS); anything else must be quoted
      if (lt >= 0 && (semi < 0 || lt < semi)) return parsedFail("display name must be quoted");
      return parseAddrSpec(value, i);
    }
    displayName = trimWs(value.slice(i, end));
    i = end;
  }
  const gt = value.indexOf(">", i + 1);
  if (gt < 0) return parsedFail("missing >");
  const uriText = value.slice(i + 1, gt);
  // RFC 3261 §25.1: LAQUOT and RAQUOT allow no whitespace inside the brackets
  if (hasWs(uriText)) return parsedFail("whitespace inside < >");
  return finish(displayName, uriText, true, value, gt + 1);
}

function parseAddrSpec(value: string, start: number): Parsed<NameAddr> {
  const semi = value.indexOf(";", start);
  const uriText = trimWs(value.slice(start, semi < 0 ? value.length : semi));
  if (hasWs(uriText)) return parsedFail("whitespace in URI");
  // RFC 3261 §20.10: a URI containing a comma, question mark or semicolon must be enclosed in < >
  if (uriText.indexOf("?") >= 0 || uriText.indexOf(",") >= 0)
    return parsedFail("URI with ? or , must be enclosed in < >");
  return finish(null, uriText, false, value, semi < 0 ? value.length : semi);
}
