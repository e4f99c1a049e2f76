import { getExpires } from "@/lib/engine/sip/accessors";
import { equalsIgnoreCase } from "@/lib/engine/sip/chars";
import { checkHeaders, type CheckedHeaders } from "@/lib/engine/sip/check-headers";
import type { ParseResult } from "@/lib/engine/sip/framing";
import { countHeaderLines, type HasHeaders } from "@/lib/engine/sip/header-access";
import { SIP_VERSION, type SipMessage, type SipRequest } from "@/lib/engine/sip/message";
import type { MessageKind } from "@/lib/engine/sip/start-line";
import { parseUri } from "@/lib/engine/sip/uri";

export type RejectStatus = 400 | 416 | 505;

export type Verdict =
  /** Well formed: hand it to the core (which still owes 501, 420, 415, 483 and the like). */
  | { readonly action: "process"; readonly message: SipMessage }
  /** Answer `buildResponse(request, status, reason)` statelessly and go no further. */
  | { readonly action: "reject"; readonly status: RejectStatus; readonly reason: string; readonly request: HasHeaders }
  /** Say nothing: a bad response, or a request without a Via to answer along. */
  | { readonly action: "drop"; readonly reason: string };

interface Problem {
  readonly status: RejectStatus;
  readonly reason: string;
}

/** Classes a parsed datagram or framed message as RFC 4475 expects: process, reject, or drop. */
export function classifyRequest(parsed: ParseResult): Verdict {
  if (!parsed.ok) return refuse(parsed.kind, parsed, { status: 400, reason: parsed.reason });
  const message = parsed.message;
  if (message.kind === "response") {
    // RFC 4475 §3.1.2.19: a malformed response is dropped silently, never answered
    const checked = checkHeaders(message);
    return checked.ok ? { action: "process", message } : { action: "drop", reason: checked.reason };
  }
  const problem = checkRequest(message);
  return problem === null ? { action: "process", message } : refuse("request", message, problem);
}

function refuse(kind: MessageKind, target: HasHeaders, problem: Problem): Verdict {
  // RFC 3261 §18.2.2: a response travels back along the top Via; without one there is no one to tell
  if (kind !== "request" || countHeaderLines(target, "via") === 0) return { action: "drop", reason: problem.reason };
  return { action: "reject", status: problem.status, reason: problem.reason, request: target };
}

function bad(reason: string): Problem {
  return { status: 400, reason };
}

function checkRequest(request: SipRequest): Problem | null {
  // RFC 3261 §21.5.6: 505 for a SIP version the server does not support
  if (!equalsIgnoreCase(request.version, SIP_VERSION)) return { status: 505, reason: "Version Not Supported" };
  const checked = checkHeaders(request);
  if (!checked.ok) return bad(checked.reason);
  // RFC 3261 §8.1.1.5: the CSeq method matches the Request-Line method (case-sensitive, §7.1)
  if (checked.value.cseq.method !== request.method) return bad("CSeq method does not match the Request-Line");
  return checkRequestUri(request.uri) ?? checkContactUse(request, checked.value);
}

function checkRequestUri(raw: string): Problem | null {
  // RFC 3261 §25.1: the Request-URI is a bare URI; RFC 4475 §3.1.2.7 asks for 400 on <uri>
  if (raw.charCodeAt(0) === 60) return bad("Request-URI must not be enclosed in < >");
  const uri = parseUri(raw);
  if (!uri.ok) return bad(`Bad Request-URI: ${uri.reason}`);
  // RFC 3261 §8.2.2.1: a scheme the element does not understand gets 416
  if (uri.value.kind === "other")
    return uri.value.scheme === "tel" ? null : { status: 416, reason: "Unsupported URI Scheme" };
  // RFC 3261 §19.1.1 (table 1): headers are not allowed in a Request-URI
  if (uri.value.headers.length > 0) return bad("Request-URI must not contain headers");
  return null;
}

function checkContactUse(request: SipRequest, { to, contacts }: CheckedHeaders): Problem | null {
  if (request.method !== "REGISTER") return contacts?.wildcard ? bad("Contact * is only allowed in REGISTER") : null;
  // RFC 3261 §10.2: the To of a REGISTER is the address-of-record, a SIP or SIPS URI (RFC 4475 §3.3.4: 400)
  if (to.uri.kind !== "sip") return bad("To of a REGISTER must be a SIP or SIPS URI");
  // RFC 3261 §10.3 step 6: "*" stands alone and only with Expires: 0
  if (contacts?.wildcard && getExpires(request) !== 0) return bad("Contact * requires Expires: 0");
  return null;
}
