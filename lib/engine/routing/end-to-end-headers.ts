import { isIP } from "node:net";
import { getHeaderList, getHeaderValues, type HasHeaders } from "@/lib/engine/sip/header-access";
import type { HeaderInit } from "@/lib/engine/sip/message";
import { parseNameAddr } from "@/lib/engine/sip/name-addr";
import { parseUri, uriParam } from "@/lib/engine/sip/uri";
import type { Remote } from "@/lib/engine/transport/remote";

// What the B2BUA carries from one leg to the other (issue 17). Every message it sends is built from
// scratch (leg-messages.ts); only these headers, which belong to the two ends, are copied across:
// the body's description, RFC 4028 session timers, RFC 6086 INFO packages, RFC 6665 events,
// RFC 3515 REFER and RFC 3326 Reason. Topology (Via, Route, Contact, Record-Route) never crosses.

const END_TO_END = [
  "content-type",
  "content-disposition",
  "content-encoding",
  "content-language",
  "session-expires",
  "min-se",
  "event",
  "subscription-state",
  "allow-events",
  "info-package",
  "recv-info",
  "accept",
  "refer-to",
  "referred-by",
  "reason",
  "retry-after",
  // RFC 3262: a reliable provisional's number; PRACK's RAck is rewritten for the other leg (in-dialog-relay.ts)
  "rseq",
] as const;

/** Option tags passed end to end (RFC 3261 §8.2.2.3): RFC 4028 session timers, RFC 3262 reliable provisionals. */
export const RELAYED_OPTION_TAGS: readonly string[] = ["timer", "100rel"];

/** The end-to-end headers of `from`, in order, plus Supported and Require narrowed to what we relay. */
export function endToEndHeaders(from: HasHeaders): HeaderInit[] {
  const out: HeaderInit[] = [];
  for (const name of END_TO_END) for (const value of getHeaderValues(from, name)) out.push([name, value]);
  for (const name of ["Supported", "Require"]) {
    const tags = getHeaderList(from, name).filter((tag) => RELAYED_OPTION_TAGS.includes(tag.toLowerCase()));
    if (tags.length > 0) out.push([name, tags.join(", ")]);
  }
  return out.map(([name, value]) => [canonicalName(name), value]);
}

const canonicalName = (name: string) =>
  name === "min-se"
    ? "Min-SE"
    : name === "rseq"
      ? "RSeq"
      : name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());

/** RFC 4028 §4: the Session-Expires delta-seconds of a message, or null without a valid one. */
export function sessionExpiresOf(message: HasHeaders): number | null {
  const value = getHeaderValues(message, "session-expires")[0];
  const match = value === undefined ? null : /^\s*(\d{1,10})\s*(;|$)/.exec(value);
  return match ? Number(match[1]) : null;
}

/**
 * RFC 3261 §12.2.1.1, §16.12 (loose routing): where an in-dialog request goes: the first Route's
 * host when it is an address, else `fallback`. Hostnames are not resolved: the engine has no DNS.
 */
export function hopOf(uriText: string, fallback: Remote): Remote {
  const named = uriText.trim().startsWith("<") ? parseNameAddr(uriText) : null;
  const parsed = named ? (named.ok ? { ok: true as const, value: named.value.uri } : named) : parseUri(uriText.trim());
  if (!parsed.ok || parsed.value.kind !== "sip") return fallback;
  const uri = parsed.value;
  const address = uri.host.replace(/^\[|\]$/g, "");
  if (isIP(address) === 0) return fallback;
  const transport = uriParam(uri, "transport")?.toLowerCase();
  const byUri = transport === "tcp" ? "tcp" : transport === "udp" ? "udp" : fallback.transport;
  const port = uri.port ?? 5060;
  // The connection a request came in on is reused only for the same peer
  const same = byUri === fallback.transport && address === fallback.address && port === fallback.port;
  return same ? fallback : { transport: byUri, address, port };
}
