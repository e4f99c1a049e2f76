import { parseContacts, type ContactSet } from "@/lib/engine/sip/contact";
import {
  isValidCallId,
  parseCSeq,
  parseMaxForwards,
  parseMediaType,
  parseOptionTags,
  type CSeq,
} from "@/lib/engine/sip/fields";
import { getHeaderValues } from "@/lib/engine/sip/header-access";
import { DISPLAY_NAMES } from "@/lib/engine/sip/header-names";
import { parsedFail, parsedOk, type Parsed, type SipMessage } from "@/lib/engine/sip/message";
import { parseNameAddr, type NameAddr } from "@/lib/engine/sip/name-addr";
import { splitList } from "@/lib/engine/sip/text";
import { parseViaList } from "@/lib/engine/sip/via";

// RFC 3261 §8.1.1: every request carries these (Max-Forwards too, but RFC 2543 peers omit it and
// RFC 4475 §3.4.1 asks that they be accepted).
const REQUIRED = ["via", "from", "to", "call-id", "cseq"] as const;
// RFC 3261 §7.3.1: headers whose grammar allows one value only.
const SINGLE = ["call-id", "from", "to", "cseq", "max-forwards", "content-type", "expires"] as const;

function countKeys(message: SipMessage): Map<string, number> {
  const counts = new Map<string, number>();
  for (const h of message.headers) counts.set(h.key, (counts.get(h.key) ?? 0) + 1);
  return counts;
}

function checkNameAddrList(lines: readonly string[], name: string): string | null {
  for (const line of lines) {
    for (const item of splitList(line)) {
      const parsed = parseNameAddr(item);
      if (!parsed.ok) return `Malformed ${name}: ${parsed.reason}`;
    }
  }
  return null;
}

/** The headers checkHeaders parsed, for the request checks that follow. */
export interface CheckedHeaders {
  readonly cseq: CSeq;
  readonly to: NameAddr;
  readonly contacts: ContactSet | null;
}

/**
 * Syntax of the headers every element relies on, for requests and responses alike: the reason
 * phrase of a 400 (RFC 3261 §21.4.1), or the parsed headers when they are well formed.
 */
export function checkHeaders(message: SipMessage): Parsed<CheckedHeaders> {
  const counts = countKeys(message);
  const missing = REQUIRED.filter((key) => !counts.has(key));
  if (missing.length > 0) return parsedFail(`Missing ${missing.map((key) => DISPLAY_NAMES[key]).join(", ")}`);
  const repeated = SINGLE.find((key) => (counts.get(key) ?? 0) > 1);
  if (repeated !== undefined) return parsedFail(`Multiple ${DISPLAY_NAMES[repeated]} values`);
  const one = (key: string): string => getHeaderValues(message, key)[0] ?? "";

  const vias = parseViaList(getHeaderValues(message, "via"));
  if (!vias.ok) return parsedFail(`Malformed Via: ${vias.reason}`);
  const from = parseNameAddr(one("from"));
  if (!from.ok) return parsedFail(`Malformed From: ${from.reason}`);
  const to = parseNameAddr(one("to"));
  if (!to.ok) return parsedFail(`Malformed To: ${to.reason}`);
  if (!isValidCallId(one("call-id"))) return parsedFail("Malformed Call-ID");
  const cseq = parseCSeq(one("cseq"));
  if (!cseq.ok) return cseq;
  if (counts.has("max-forwards") && !parseMaxForwards(one("max-forwards")).ok)
    return parsedFail("Malformed Max-Forwards");
  let contacts: ContactSet | null = null;
  if (counts.has("contact")) {
    const parsed = parseContacts(getHeaderValues(message, "contact"));
    if (!parsed.ok) return parsedFail(`Malformed Contact: ${parsed.reason}`);
    contacts = parsed.value;
  }
  for (const key of ["route", "record-route"] as const) {
    const problem = counts.has(key) ? checkNameAddrList(getHeaderValues(message, key), DISPLAY_NAMES[key]) : null;
    if (problem !== null) return parsedFail(problem);
  }
  for (const key of ["require", "proxy-require"] as const) {
    if (counts.has(key) && !parseOptionTags(getHeaderValues(message, key)).ok)
      return parsedFail(`Malformed ${DISPLAY_NAMES[key]}`);
  }
  if (counts.has("content-type") && !parseMediaType(one("content-type")).ok)
    return parsedFail("Malformed Content-Type");
  return parsedOk({ cseq: cseq.value, to: to.value, contacts });
}
