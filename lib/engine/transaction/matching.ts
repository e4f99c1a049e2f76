// Transaction keys: one string per transaction, so that matching a message is one Map lookup.
import { getCallId, getCSeq, getFrom, getTo, getTopVia } from "@/lib/engine/sip/accessors";
import type { HasHeaders } from "@/lib/engine/sip/header-access";
import type { SipRequest } from "@/lib/engine/sip/message";
import { isRfc3261Branch, type Via } from "@/lib/engine/sip/via";

/**
 * The key a server transaction is found by, for `request` looked up as `method` (the request's own
 * method, or INVITE for an ACK and for the INVITE a CANCEL names). `toTag` replaces the request's
 * To tag in an RFC 2543 key (an ACK carries the response's tag). Null without a usable top Via.
 */
export function serverKey(request: SipRequest, method: string, toTag?: string | null): string | null {
  const via = getTopVia(request);
  if (via === undefined) return null;
  // RFC 3261 §17.2.3: branch, sent-by and method identify the transaction (ACK matches its INVITE)
  if (via.branch !== null && isRfc3261Branch(via.branch))
    return `${lower(via.branch)}\n${lower(via.host)}:${via.port ?? ""}\n${method}`;
  return legacyKey(request, via, method, toTag);
}

// RFC 3261 §17.2.3: without the magic cookie, match on Request-URI, To tag, From tag, Call-ID,
// CSeq and top Via; the CSeq method is the lookup method, so that an ACK finds its INVITE.
function legacyKey(request: SipRequest, via: Via, method: string, toTag: string | null | undefined): string | null {
  const callId = getCallId(request);
  const cseq = getCSeq(request);
  const from = getFrom(request);
  if (callId === undefined || cseq === undefined || from === undefined) return null;
  const tag = toTag === undefined ? (getTo(request)?.tag ?? null) : toTag;
  const sentBy = `${via.transport} ${lower(via.host)}:${via.port ?? ""};${via.branch ?? ""}`;
  return `2543\n${callId}\n${cseq.number}\n${from.tag ?? ""}\n${tag ?? ""}\n${request.uri}\n${sentBy}\n${method}`;
}

/** True when the request's top Via has no magic-cookie branch (RFC 2543 matching applies). */
export function isLegacyKey(key: string): boolean {
  return key.startsWith("2543\n");
}

/** RFC 3261 §17.1.3: a response matches the client transaction of its top Via branch and CSeq method. */
export function clientKey(branch: string, cseqMethod: string): string {
  return `${lower(branch)}\n${cseqMethod}`;
}

/**
 * What ties an ACK to the 2xx it acknowledges (RFC 3261 §13.2.2.4, §12.1: same Call-ID, CSeq
 * number, From tag and To tag), since such an ACK carries a branch of its own (§17.1.1.3).
 */
export function ackMatchKey(message: HasHeaders): string | null {
  const callId = getCallId(message);
  const cseq = getCSeq(message);
  const fromTag = getFrom(message)?.tag;
  const toTag = getTo(message)?.tag;
  if (callId === undefined || cseq === undefined || fromTag == null || toTag == null) return null;
  return `${callId}\n${cseq.number}\n${fromTag}\n${toTag}`;
}

// RFC 3261 §7.3.1: parameter values (the branch token) and host names compare case-insensitively.
function lower(s: string): string {
  return s.toLowerCase();
}
