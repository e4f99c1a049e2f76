// Requests a client transaction (or its TU) derives from the one it sent.
import { randomHex } from "@/lib/engine/random-hex";
import { getCSeq, getTopVia } from "@/lib/engine/sip/accessors";
import { getHeader, getHeaderValues } from "@/lib/engine/sip/header-access";
import { makeHeader } from "@/lib/engine/sip/header-names";
import type { HeaderInit, SipRequest, SipResponse } from "@/lib/engine/sip/message";
import { buildRequest } from "@/lib/engine/sip/serializer";
import { splitList } from "@/lib/engine/sip/text";
import { isRfc3261Branch } from "@/lib/engine/sip/via";

/** RFC 3261 §8.1.1.7: the magic cookie, then enough randomness to be unique across space and time. */
export function newBranch(): string {
  return `z9hG4bK${randomHex(10)}`;
}

export type BranchedRequest = { readonly request: SipRequest; readonly branch: string };

/**
 * The request with an RFC 3261 branch in its top Via: the one it has, or a new one when the top Via
 * has none. A request without a Via, or with an RFC 2543 branch, is a bug in the caller (we MUST
 * originate only magic-cookie branches, RFC 3261 §8.1.1.7).
 */
export function withBranch(request: SipRequest): BranchedRequest {
  const via = getTopVia(request);
  if (via === undefined) throw new TypeError(`${request.method} to send has no valid Via`);
  if (via.branch !== null) {
    if (!isRfc3261Branch(via.branch)) throw new TypeError(`${request.method} to send has a non-RFC 3261 branch`);
    return { request, branch: via.branch };
  }
  if (via.params.some((p) => p.name.toLowerCase() === "branch")) throw new TypeError("Via branch without a value");
  const branch = newBranch();
  const index = request.headers.findIndex((h) => h.key === "via");
  const line = request.headers[index];
  const values = splitList(line.value);
  values[0] = `${values[0]};branch=${branch}`;
  const headers = request.headers.slice();
  headers[index] = makeHeader(line.name, values.join(", "));
  return { request: { ...request, headers }, branch };
}

function topVia(request: SipRequest): string {
  return splitList(getHeader(request, "via") ?? "")[0];
}

/** Headers both an ACK for a non-2xx and a CANCEL take from the request they follow. */
function derivedHeaders(request: SipRequest, method: string, to: string): HeaderInit[] {
  const cseq = getCSeq(request);
  if (cseq === undefined) throw new TypeError(`${request.method} without a valid CSeq`);
  const headers: HeaderInit[] = [
    ["Via", topVia(request)],
    ["Max-Forwards", getHeader(request, "max-forwards") ?? "70"],
    ["From", getHeader(request, "from") ?? ""],
    ["To", to],
    ["Call-ID", getHeader(request, "call-id") ?? ""],
    ["CSeq", `${cseq.number} ${method}`],
  ];
  for (const route of getHeaderValues(request, "route")) headers.push(["Route", route]);
  return headers;
}

/**
 * RFC 3261 §17.1.1.3: the ACK for a non-2xx final response: Request-URI, Call-ID, From, CSeq
 * number, Route and the top Via (only) of the INVITE; To of the response; CSeq method ACK.
 */
export function buildAckForFinal(invite: SipRequest, response: SipResponse): SipRequest {
  const to = getHeader(response, "to") ?? getHeader(invite, "to") ?? "";
  return buildRequest({ method: "ACK", uri: invite.uri, headers: derivedHeaders(invite, "ACK", to) });
}

/**
 * RFC 3261 §9.1: a CANCEL for `request` (as sent, with its branch): same Request-URI, Call-ID, To,
 * From, CSeq number, Route and top Via (so the branch matches); CSeq method CANCEL. Send it with
 * sendRequest; it is a non-INVITE client transaction of its own.
 */
export function buildCancel(request: SipRequest): SipRequest {
  return buildRequest({
    method: "CANCEL",
    uri: request.uri,
    headers: derivedHeaders(request, "CANCEL", getHeader(request, "to") ?? ""),
  });
}
