import { getMaxForwards } from "@/lib/engine/sip/accessors";
import type { HeaderInit, SipRequest, SipResponse } from "@/lib/engine/sip/message";
import { buildResponse } from "@/lib/engine/sip/response";
import { buildRequest } from "@/lib/engine/sip/serializer";
import { endToEndHeaders } from "@/lib/engine/routing/end-to-end-headers";
import type { TransportName } from "@/lib/engine/transport/remote";
import { localContact, viaOf, type DialogLeg, type LocalAddress } from "@/lib/engine/routing/leg-messages";

// Requests inside a call relayed from one leg to the other, and their responses back (issue 17;
// RFC 3261 §12.2, RFC 7092 §3.1: a signalling-only B2BUA keeps each leg's dialog state of its own).

/** RFC 3261 §12.2 target refresh requests, RFC 3311, RFC 6665 §4.1: their Contact is the sender's target. */
const TARGET_REFRESH = new Set(["INVITE", "UPDATE", "SUBSCRIBE", "NOTIFY", "REFER"]);

/** RFC 3261 §12.2.1.1: `request` (from the other leg) as our own request inside `leg`, CSeq `cseq`. */
export function buildRelayedRequest(
  leg: DialogLeg,
  request: SipRequest,
  cseq: number,
  local: LocalAddress,
  extra: HeaderInit[] = [],
): SipRequest {
  const transport = leg.destination.transport;
  const headers: HeaderInit[] = [
    ["Via", viaOf(local, transport)],
    // RFC 3261 §16.6 step 3, kept by a B2BUA: one hop fewer
    ["Max-Forwards", String(Math.max(0, (getMaxForwards(request) ?? 70) - 1))],
    ["From", leg.localHeader],
    ["To", leg.remoteHeader],
    ["Call-ID", leg.callId],
    ["CSeq", `${cseq} ${request.method}`],
  ];
  for (const route of leg.routeSet) headers.push(["Route", route]);
  if (TARGET_REFRESH.has(request.method)) headers.push(["Contact", localContact(local, transport)]);
  headers.push(...endToEndHeaders(request), ...extra);
  return buildRequest({ method: request.method, uri: leg.remoteTarget, headers, body: request.body });
}

/** The other leg's response to a relayed request, rebuilt on the request it answers (RFC 3261 §8.2.6). */
export function buildRelayedResponse(
  request: SipRequest,
  response: SipResponse,
  local: LocalAddress,
  transport: TransportName,
): SipResponse {
  const headers: HeaderInit[] = [];
  if (response.status < 300 && TARGET_REFRESH.has(request.method))
    headers.push(["Contact", localContact(local, transport)]);
  headers.push(...endToEndHeaders(response));
  return buildResponse(request, response.status, response.reason, headers, {
    body: response.body.length > 0 ? response.body : undefined,
  });
}
