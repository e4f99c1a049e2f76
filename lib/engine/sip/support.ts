// What the core needs for its method-dependent answers (420, 406): the classifier leaves them
// to the core because they depend on what the element supports.
import { getRequire } from "@/lib/engine/sip/accessors";
import { parseMediaType } from "@/lib/engine/sip/fields";
import { getHeaderList, getHeaderValues, type HasHeaders } from "@/lib/engine/sip/header-access";

/** RFC 3261 §8.2.2.3: the Require option tags this element does not support, for 420 + Unsupported. */
export function unsupportedRequire(message: HasHeaders, supported: readonly string[]): string[] {
  const known = new Set(supported.map((tag) => tag.toLowerCase()));
  return getRequire(message).filter((tag) => !known.has(tag.toLowerCase()));
}

/**
 * RFC 3261 §20.1: whether the sender accepts `mediaType` in a response body. Without an Accept
 * header, application/sdp is assumed; an empty Accept accepts nothing.
 */
export function acceptsMediaType(message: HasHeaders, mediaType: string): boolean {
  if (getHeaderValues(message, "accept").length === 0) return mediaType.toLowerCase() === "application/sdp";
  const slash = mediaType.indexOf("/");
  const type = mediaType.slice(0, slash).toLowerCase();
  const subtype = mediaType.slice(slash + 1).toLowerCase();
  for (const item of getHeaderList(message, "accept")) {
    if (item.length === 0) continue;
    const range = parseMediaType(item);
    if (!range.ok) continue;
    const { type: t, subtype: s } = range.value;
    if ((t === "*" || t === type) && (s === "*" || s === subtype)) return true;
  }
  return false;
}
