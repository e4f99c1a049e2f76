import { createHmac, randomBytes } from "node:crypto";
import { getHeader, type HasHeaders } from "@/lib/engine/sip/header-access";
import { makeHeader } from "@/lib/engine/sip/header-names";
import { SIP_VERSION, type HeaderInit, type SipHeader, type SipResponse } from "@/lib/engine/sip/message";
import { parseNameAddr } from "@/lib/engine/sip/name-addr";
import { toHeaders } from "@/lib/engine/sip/serializer";
import { splitList } from "@/lib/engine/sip/text";

export interface ResponseOptions {
  /** The To tag to add when the request has none; default: derived from the request (see toTagFor). */
  readonly toTag?: string;
  readonly body?: Buffer;
}

const TAG_KEY = randomBytes(16);

/**
 * RFC 3261 §19.3: a tag carries at least 32 random bits. Keying a hash of the transaction's identity
 * with a per-process secret keeps it unguessable yet equal for every response to the same request
 * (retransmissions, 180 then 200) and for a CANCEL and its INVITE (§9.2: same To tag).
 */
export function toTagFor(request: HasHeaders): string {
  const via = getHeader(request, "via");
  const cseq = getHeader(request, "cseq") ?? "";
  const hmac = createHmac("sha256", TAG_KEY);
  hmac.update(`${getHeader(request, "call-id") ?? ""}\n${getHeader(request, "from") ?? ""}\n`);
  hmac.update(`${via === undefined ? "" : splitList(via)[0]}\n${cseq.split(" ", 1)[0]}`);
  return hmac.digest("hex").slice(0, 16);
}

function withToTag(to: SipHeader, request: HasHeaders, options: ResponseOptions): SipHeader {
  const parsed = parseNameAddr(to.value);
  // A To we cannot parse (a 400 for it) is echoed untouched: appending a tag could land inside its quotes.
  if (!parsed.ok || parsed.value.tag !== null) return to;
  return makeHeader(to.name, `${to.value};tag=${options.toTag ?? toTagFor(request)}`);
}

/**
 * A response to `request` per RFC 3261 §8.2.6: Via values in order, From, Call-ID and CSeq copied;
 * To copied with a tag added when absent (except 100); Timestamp echoed on 100 (§8.2.6.1).
 * `request` may be a parse failure's header lines, for a 400.
 */
export function buildResponse(
  request: HasHeaders,
  status: number,
  reason: string,
  extraHeaders: readonly HeaderInit[] = [],
  options: ResponseOptions = {},
): SipResponse {
  const headers: SipHeader[] = [];
  const copied = new Set<string>();
  for (const h of request.headers) {
    if (h.key === "via") headers.push(h);
    else if (copied.has(h.key)) continue;
    else if (h.key === "from" || h.key === "call-id" || h.key === "cseq" || (h.key === "timestamp" && status === 100)) {
      headers.push(h);
      copied.add(h.key);
    } else if (h.key === "to") {
      headers.push(status > 100 ? withToTag(h, request, options) : h);
      copied.add(h.key);
    }
  }
  for (const h of toHeaders(extraHeaders)) headers.push(h);
  return { kind: "response", status, reason, version: SIP_VERSION, headers, body: options.body ?? Buffer.alloc(0) };
}
