// Typed views of the headers the engine reads. Each returns undefined when the header is absent or
// malformed; classifyRequest has already refused a request whose required headers are malformed.
import { parseContacts, type ContactSet } from "@/lib/engine/sip/contact";
import {
  isValidCallId,
  parseCSeq,
  parseDeltaSeconds,
  parseMaxForwards,
  parseMediaType,
  parseOptionTags,
  type CSeq,
  type MediaType,
} from "@/lib/engine/sip/fields";
import { getHeader, getHeaderValues, type HasHeaders } from "@/lib/engine/sip/header-access";
import type { SipRequest } from "@/lib/engine/sip/message";
import { parseNameAddr, type NameAddr } from "@/lib/engine/sip/name-addr";
import { splitList } from "@/lib/engine/sip/text";
import { parseUri, type Uri } from "@/lib/engine/sip/uri";
import { parseVia, parseViaList, type Via } from "@/lib/engine/sip/via";

export function getRequestUri(request: SipRequest): Uri | undefined {
  const uri = parseUri(request.uri);
  return uri.ok ? uri.value : undefined;
}

/** Every Via value, top first. */
export function getVias(message: HasHeaders): Via[] | undefined {
  const vias = parseViaList(getHeaderValues(message, "via"));
  return vias.ok && vias.value.length > 0 ? vias.value : undefined;
}

/** The topmost Via value, parsing only that one. */
export function getTopVia(message: HasHeaders): Via | undefined {
  const line = getHeader(message, "via");
  if (line === undefined) return undefined;
  const via = parseVia(splitList(line)[0]);
  return via.ok ? via.value : undefined;
}

function nameAddrOf(message: HasHeaders, name: string): NameAddr | undefined {
  const value = getHeader(message, name);
  if (value === undefined) return undefined;
  const parsed = parseNameAddr(value);
  return parsed.ok ? parsed.value : undefined;
}

export function getFrom(message: HasHeaders): NameAddr | undefined {
  return nameAddrOf(message, "from");
}

export function getTo(message: HasHeaders): NameAddr | undefined {
  return nameAddrOf(message, "to");
}

export function getCallId(message: HasHeaders): string | undefined {
  const value = getHeader(message, "call-id");
  return value !== undefined && isValidCallId(value) ? value : undefined;
}

export function getCSeq(message: HasHeaders): CSeq | undefined {
  const value = getHeader(message, "cseq");
  const cseq = value === undefined ? undefined : parseCSeq(value);
  return cseq?.ok ? cseq.value : undefined;
}

export function getMaxForwards(message: HasHeaders): number | undefined {
  const value = getHeader(message, "max-forwards");
  const parsed = value === undefined ? undefined : parseMaxForwards(value);
  return parsed?.ok ? parsed.value : undefined;
}

/** Contact values, or the "*" wildcard; undefined when there is no Contact or one is malformed. */
export function getContacts(message: HasHeaders): ContactSet | undefined {
  const lines = getHeaderValues(message, "contact");
  if (lines.length === 0) return undefined;
  const contacts = parseContacts(lines);
  return contacts.ok ? contacts.value : undefined;
}

/** RFC 3261 §20.19: the Expires header in seconds; malformed values SHOULD be treated as 3600. */
export function getExpires(message: HasHeaders): number | undefined {
  const value = getHeader(message, "expires");
  if (value === undefined) return undefined;
  return parseDeltaSeconds(value) ?? 3600;
}

function optionTags(message: HasHeaders, name: string): string[] {
  const tags = parseOptionTags(getHeaderValues(message, name));
  return tags.ok ? tags.value : [];
}

export function getRequire(message: HasHeaders): string[] {
  return optionTags(message, "require");
}

export function getProxyRequire(message: HasHeaders): string[] {
  return optionTags(message, "proxy-require");
}

export function getSupported(message: HasHeaders): string[] {
  return optionTags(message, "supported");
}

export function getContentType(message: HasHeaders): MediaType | undefined {
  const value = getHeader(message, "content-type");
  const parsed = value === undefined ? undefined : parseMediaType(value);
  return parsed?.ok ? parsed.value : undefined;
}

/** Raw Authorization values, one per line (credentials contain commas: never split). */
export function getAuthorizations(message: HasHeaders): string[] {
  return getHeaderValues(message, "authorization");
}

export function getProxyAuthorizations(message: HasHeaders): string[] {
  return getHeaderValues(message, "proxy-authorization");
}
