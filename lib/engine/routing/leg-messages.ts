import { randomHex } from "@/lib/engine/random-hex";
import { isIP } from "node:net";
import type { SnapshotMappingGateway } from "@/lib/domain/config-snapshot";
import { getContacts, getFrom, getMaxForwards, getTopVia } from "@/lib/engine/sip/accessors";
import { getHeaderValues, type HasHeaders } from "@/lib/engine/sip/header-access";
import type { HeaderInit, SipRequest, SipResponse } from "@/lib/engine/sip/message";
import { buildResponse } from "@/lib/engine/sip/response";
import { buildRequest } from "@/lib/engine/sip/serializer";
import { splitList } from "@/lib/engine/sip/text";
import { endToEndHeaders } from "@/lib/engine/routing/end-to-end-headers";
import { newBranch } from "@/lib/engine/transaction/client-requests";
import type { RouteCandidate } from "@/lib/engine/routing/route-selection";
import type { Remote, TransportName } from "@/lib/engine/transport/remote";

// The messages of the two call legs (RFC 3261 §12, §13.2.1, §15.1.1). Every outbound request is
// built from scratch: nothing of the caller's is copied but the body and the end-to-end headers of
// end-to-end-headers.ts, so its Authorization / Proxy-Authorization and any internal header never
// leave (issue 8).

/** The engine's own address, put in Via and Contact. */
export type LocalAddress = { readonly host: string; readonly port: number };

/** One side of a dialog as a UA keeps it (RFC 3261 §12.1.1, §12.1.2). */
export type DialogLeg = {
  readonly callId: string;
  readonly localTag: string;
  /** From of the requests we send in this dialog, tag included. */
  readonly localHeader: string;
  remoteTag: string | null;
  /** To of the requests we send in this dialog, the peer's tag included once known. */
  remoteHeader: string;
  /** Request-URI of in-dialog requests: the peer's Contact. */
  remoteTarget: string;
  routeSet: string[];
  localCSeq: number;
  /** Where in-dialog requests go: the first hop of the route set, or the remote target (hopOf). */
  destination: Remote;
};

export const newTag = (): string => randomHex(8);
export const newCallId = (host: string): string => `${randomHex(12)}@${host}`;

function hostPart(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

function transportParam(transport: TransportName): string {
  return transport === "tcp" ? ";transport=tcp" : "";
}

/** RFC 3261 §8.1.1.8: our Contact on a leg: the engine's address on that leg's transport. */
export function localContact(local: LocalAddress, transport: TransportName, user?: string): string {
  return `<sip:${user ? `${user}@` : ""}${hostPart(local.host)}:${local.port}${transportParam(transport)}>`;
}

/** Our Via on a leg's transport. */
export function viaOf(local: LocalAddress, transport: TransportName): string {
  // RFC 3261 §8.1.1.7, RFC 3581: a fresh magic-cookie branch, rport asked for
  return `SIP/2.0/${transport.toUpperCase()} ${hostPart(local.host)}:${local.port};branch=${newBranch()};rport`;
}

/** The user part of a SIP URI in a name-addr or Request-URI text, or "". */
export function userOf(uri: { kind: string; user?: string | null } | undefined): string {
  return uri?.kind === "sip" ? (uri.user ?? "") : "";
}

export type OutboundInvite = {
  readonly inbound: SipRequest;
  readonly candidate: RouteCandidate;
  readonly local: LocalAddress;
  readonly callId: string;
  readonly fromTag: string;
  readonly cseq: number;
  /** Credentials answering the carrier's challenge, when retrying. */
  readonly credentials?: HeaderInit;
};

/** The methods a call's two ends may send each other through the engine (RFC 3261 §20.5). */
export const ALLOW_IN_CALLS = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO, NOTIFY, MESSAGE, REFER, PRACK";

/** RFC 3261 §8.1.1: the INVITE of our own to the carrier. */
export function buildOutboundInvite(o: OutboundInvite): SipRequest {
  const { gateway, target } = o.candidate;
  const host = hostPart(target.address);
  const uri = `sip:${o.candidate.callee}@${host}:${target.port}${transportParam(target.transport)}`;
  const fromUser = gateway.fromUser ?? o.candidate.caller;
  const fromDomain = gateway.fromDomain ?? hostPart(gateway.address ?? target.address);
  const display = getFrom(o.inbound)?.displayName;
  // RFC 3261 §16.6 step 3 (kept by a B2BUA too): one hop fewer
  const maxForwards = Math.max(0, (getMaxForwards(o.inbound) ?? 70) - 1);
  const headers: HeaderInit[] = [
    ["Via", viaOf(o.local, target.transport)],
    ["Max-Forwards", String(maxForwards)],
    ["From", `${display ? `"${display.replace(/["\\]/g, "")}" ` : ""}<sip:${fromUser}@${fromDomain}>;tag=${o.fromTag}`],
    ["To", `<sip:${o.candidate.callee}@${host}>`],
    ["Call-ID", o.callId],
    ["CSeq", `${o.cseq} INVITE`],
    ["Contact", localContact(o.local, target.transport, fromUser)],
    ["Allow", ALLOW_IN_CALLS],
  ];
  if (o.credentials) headers.push(o.credentials);
  headers.push(...endToEndHeaders(o.inbound));
  return buildRequest({ method: "INVITE", uri, headers, body: o.inbound.body });
}

/** RFC 3261 §12.2.1.1: a request inside `leg` (ACK for a 2xx, BYE). */
export function buildInDialogRequest(
  leg: DialogLeg,
  method: string,
  cseq: number,
  local: LocalAddress,
  body?: { type: string; bytes: Buffer },
): SipRequest {
  const headers: HeaderInit[] = [
    ["Via", viaOf(local, leg.destination.transport)],
    ["Max-Forwards", "70"],
    ["From", leg.localHeader],
    ["To", leg.remoteHeader],
    ["Call-ID", leg.callId],
    ["CSeq", `${cseq} ${method}`],
  ];
  for (const route of leg.routeSet) headers.push(["Route", route]);
  if (body && body.bytes.length > 0) headers.push(["Content-Type", body.type]);
  return buildRequest({ method, uri: leg.remoteTarget, headers, body: body?.bytes });
}

/** The Contact URI of a message (the peer's target, RFC 3261 §12.1.1), or `fallback`. */
export function contactUriOf(message: HasHeaders, fallback: string): string {
  const contacts = getContacts(message);
  return contacts && !contacts.wildcard && contacts.contacts.length > 0 ? contacts.contacts[0].uri.raw : fallback;
}

/** Record-Route values in order (RFC 3261 §12.1.1: the UAS keeps them as they are; §12.1.2: the UAC reverses them). */
export function recordRoutes(message: HasHeaders): string[] {
  const out: string[] = [];
  for (const line of getHeaderValues(message, "record-route")) out.push(...splitList(line));
  return out;
}

/** Where requests to the caller go, as its mapping gateway's reply-address policy says. */
export function callerDestination(
  invite: SipRequest,
  from: Remote,
  policy: SnapshotMappingGateway["replyAddress"],
): Remote {
  if (policy === "via") {
    const top = getTopVia(invite);
    if (top && isIP(top.host.replace(/^\[|\]$/g, "")))
      return {
        transport: from.transport,
        address: top.host.replace(/^\[|\]$/g, ""),
        port: top.port ?? 5060,
        connectionId: from.connectionId,
      };
  }
  if (policy === "contact") {
    const contacts = getContacts(invite);
    const uri = contacts && !contacts.wildcard ? contacts.contacts[0]?.uri : undefined;
    if (uri?.kind === "sip" && isIP(uri.host.replace(/^\[|\]$/g, "")))
      return {
        transport: from.transport,
        address: uri.host.replace(/^\[|\]$/g, ""),
        port: uri.port ?? 5060,
        connectionId: from.connectionId,
      };
  }
  // "source" (and any address we cannot use): where the INVITE came from, its TCP connection included
  return from;
}

/**
 * A carrier's response rebuilt on the caller's INVITE (RFC 3261 §8.2.6): the caller's Via, From,
 * Call-ID and CSeq, our stable To tag, the caller's Record-Route and our Contact on 1xx/2xx, the
 * body and the end-to-end headers.
 */
export function relayResponse(
  inbound: SipRequest,
  carrier: SipResponse,
  toTag: string,
  local: LocalAddress,
  transport: TransportName,
): SipResponse {
  const headers: HeaderInit[] = [];
  if (carrier.status > 100 && carrier.status < 300) {
    // RFC 3261 §12.1.1: a response that makes a dialog carries the request's Record-Route, as is
    for (const route of getHeaderValues(inbound, "record-route")) headers.push(["Record-Route", route]);
    headers.push(["Contact", localContact(local, transport)]);
  }
  headers.push(...endToEndHeaders(carrier));
  return buildResponse(inbound, carrier.status, carrier.reason, headers, {
    toTag,
    body: carrier.body.length > 0 ? carrier.body : undefined,
  });
}
