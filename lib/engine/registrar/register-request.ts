import { getCallId, getCSeq, getExpires } from "@/lib/engine/sip/accessors";
import { parseContacts } from "@/lib/engine/sip/contact";
import { getHeader, getHeaderValues } from "@/lib/engine/sip/header-access";
import type { SipRequest } from "@/lib/engine/sip/message";
import type { Uri } from "@/lib/engine/sip/uri";

/** The registration parameters of the running snapshot, passed with each REGISTER. */
export interface RegisterParams {
  /** SS_ENDPOINT_EXPIRE: granted when neither the contact nor the request asks for a lifetime. */
  readonly defaultExpires: number;
  /** Below this (and not 0): 423 Interval Too Brief. 60 s. */
  readonly minExpires: number;
  /** Longest lifetime granted; longer requests are shortened (RFC 3261 §10.3 step 7 allows it). */
  readonly maxExpires?: number;
  /** SS_ENDPOINTTIMETOLIVE: how long an expired binding is kept before removal. */
  readonly graceSeconds: number;
  /** SS_ENDPOINT_REGISTER_REPLACE. */
  readonly replace: boolean;
}

/** Lifetime granted to one binding, for the 200's Contact list. */
export interface GrantedContact {
  readonly uri: string;
  readonly expires: number;
  readonly q: number | null;
}

export type RegisterResult =
  /** contacts: every live binding of the account; expires: what this request was granted (absent for a query). */
  | { readonly status: 200; readonly contacts: readonly GrantedContact[]; readonly expires?: number }
  | { readonly status: 400; readonly reason: string }
  | { readonly status: 403; readonly reason: string }
  | { readonly status: 423; readonly minExpires: number };

export interface ContactChange {
  readonly uri: Uri;
  /** Seconds granted; 0 removes the binding. */
  readonly expires: number;
  readonly q: number | null;
}

export type RegisterPlan =
  | { readonly kind: "query" }
  | { readonly kind: "remove-all"; readonly callId: string; readonly cseq: number }
  | {
      readonly kind: "update";
      readonly callId: string;
      readonly cseq: number;
      readonly changes: readonly ContactChange[];
      readonly userAgent: string | null;
    };

export type ReadRegister =
  { readonly ok: true; readonly plan: RegisterPlan } | { readonly ok: false; readonly result: RegisterResult };

function refuse(result: RegisterResult): ReadRegister {
  return { ok: false, result };
}

/** Checks a REGISTER against RFC 3261 §10.3 steps 6 and 7 and says what it asks for; changes nothing. */
export function readRegister(request: SipRequest, params: RegisterParams): ReadRegister {
  const lines = getHeaderValues(request, "contact");
  // RFC 3261 §10.3 step 8: a REGISTER without Contact only asks for the current bindings
  if (lines.length === 0) return { ok: true, plan: { kind: "query" } };
  const callId = getCallId(request);
  const cseq = getCSeq(request);
  if (callId === undefined || cseq === undefined)
    return refuse({ status: 400, reason: "Missing or malformed Call-ID or CSeq" });
  const parsed = parseContacts(lines);
  if (!parsed.ok) return refuse({ status: 400, reason: `Malformed Contact: ${parsed.reason}` });
  const requestExpires = getExpires(request);
  const set = parsed.value;
  if (set.wildcard) {
    // RFC 3261 §10.3 step 6: "*" is valid only alone and with Expires: 0
    if (requestExpires !== 0) return refuse({ status: 400, reason: "Contact * requires Expires: 0" });
    return { ok: true, plan: { kind: "remove-all", callId, cseq: cseq.number } };
  }
  if (set.contacts.length === 0) return refuse({ status: 400, reason: "Malformed Contact: empty" });
  const changes: ContactChange[] = [];
  for (const contact of set.contacts) {
    // RFC 3261 §10.3 step 7: the expires parameter, else the Expires header, else the local default
    let expires = contact.expires ?? requestExpires ?? params.defaultExpires;
    // RFC 3261 §10.3 step 7: below the minimum (and not a removal) gets 423 with Min-Expires
    if (expires !== 0 && expires < params.minExpires) return refuse({ status: 423, minExpires: params.minExpires });
    if (params.maxExpires !== undefined && expires > params.maxExpires) expires = params.maxExpires;
    changes.push({ uri: contact.uri, expires, q: contact.q });
  }
  const userAgent = getHeader(request, "user-agent") ?? null;
  return { ok: true, plan: { kind: "update", callId, cseq: cseq.number, changes, userAgent } };
}
