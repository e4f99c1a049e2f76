import { parseDeltaSeconds, parseQValue } from "@/lib/engine/sip/fields";
import { parsedFail, parsedOk, type Parsed } from "@/lib/engine/sip/message";
import { parseNameAddr, type NameAddr } from "@/lib/engine/sip/name-addr";
import { paramValue } from "@/lib/engine/sip/params";
import { splitList } from "@/lib/engine/sip/text";

export interface Contact extends NameAddr {
  /** The expires contact parameter in seconds; null when absent. */
  readonly expires: number | null;
  /** The q contact parameter (0 to 1); null when absent or malformed. */
  readonly q: number | null;
}

/** Contact: either "*" (remove every binding, REGISTER only) or a list of addresses. */
export type ContactSet =
  { readonly wildcard: true } | { readonly wildcard: false; readonly contacts: readonly Contact[] };

/** RFC 3261 §20.10: malformed expires values SHOULD be treated as 3600. */
export const DEFAULT_MALFORMED_EXPIRES = 3600;

function toContact(address: NameAddr): Contact {
  const rawExpires = paramValue(address.params, "expires");
  const rawQ = paramValue(address.params, "q");
  let expires: number | null = null;
  if (rawExpires !== undefined)
    expires = (rawExpires === null ? null : parseDeltaSeconds(rawExpires)) ?? DEFAULT_MALFORMED_EXPIRES;
  const q = typeof rawQ === "string" ? parseQValue(rawQ) : null;
  return {
    displayName: address.displayName,
    uri: address.uri,
    bracketed: address.bracketed,
    params: address.params,
    tag: address.tag,
    expires,
    q,
  };
}

/** Parses every Contact line; "*" must stand alone (RFC 3261 §10.2.2). */
export function parseContacts(lines: readonly string[]): Parsed<ContactSet> {
  const contacts: Contact[] = [];
  let wildcard = false;
  for (const line of lines) {
    for (const item of splitList(line)) {
      if (item === "*") {
        wildcard = true;
        continue;
      }
      if (item.length === 0) return parsedFail("empty Contact value");
      const address = parseNameAddr(item);
      if (!address.ok) return address;
      contacts.push(toContact(address.value));
    }
  }
  if (!wildcard) return parsedOk({ wildcard: false, contacts });
  return contacts.length === 0 ? parsedOk({ wildcard: true }) : parsedFail("Contact * mixed with addresses");
}
