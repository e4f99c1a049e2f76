import { makeHeader } from "@/lib/engine/sip/header-names";
import type { SipRequest } from "@/lib/engine/sip/message";
import { splitList } from "@/lib/engine/sip/text";
import { parseVia } from "@/lib/engine/sip/via";
import type { Remote } from "@/lib/engine/transport/remote";

const EMPTY_RPORT = /;\s*rport(?=\s*(;|$))/i;

/**
 * RFC 3261 §18.2.1: add `received` when the sent-by host is not the source address; RFC 3581 §4:
 * fill an empty `rport` with the source port. Responses copy this Via, so the client learns its
 * public address. Returns the request unchanged (no copy) when there is nothing to add.
 */
export function stampTopVia(request: SipRequest, from: Remote): SipRequest {
  const index = request.headers.findIndex((h) => h.key === "via");
  if (index < 0) return request;
  const header = request.headers[index];
  const values = splitList(header.value);
  const parsed = parseVia(values[0]);
  if (!parsed.ok) return request;
  const sentBy = parsed.value.host.replace(/^\[|\]$/g, "").toLowerCase();
  const needsReceived = sentBy !== from.address.toLowerCase() && parsed.value.received === null;
  const needsRport = parsed.value.rport === true;
  if (!needsReceived && !needsRport) return request;
  let top = values[0];
  if (needsRport) top = top.replace(EMPTY_RPORT, `;rport=${from.port}`);
  // RFC 3581 §4: with rport the received parameter is added even when the host matches.
  if (needsReceived || needsRport) top += `;received=${from.address}`;
  const headers = request.headers.slice();
  headers[index] = makeHeader(header.name, [top, ...values.slice(1)].join(", "));
  return { ...request, headers };
}
