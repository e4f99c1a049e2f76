import { getMaxForwards, getTo } from "@/lib/engine/sip/accessors";
import { RELAYED_OPTION_TAGS } from "@/lib/engine/routing/end-to-end-headers";
import type { HeaderInit, SipRequest } from "@/lib/engine/sip/message";
import { unsupportedRequire } from "@/lib/engine/sip/support";

// What the engine answers before (and, for now, instead of) authentication and routing.
// The layers above (auth, registrar, B2BUA) plug in where `forward` is returned.

/** Methods the engine handles: REGISTER, calls, and (issue 17) the requests relayed inside calls. */
export const ALLOWED_METHODS = [
  "INVITE",
  "ACK",
  "BYE",
  "CANCEL",
  "OPTIONS",
  "REGISTER",
  "UPDATE",
  "INFO",
  "NOTIFY",
  "MESSAGE",
  "REFER",
  "PRACK",
] as const;
const ALLOW = ALLOWED_METHODS.join(", ");
/** Option tags we implement; anything else in Require gets 420 (RFC 3261 §8.2.2.3). */
export const SUPPORTED_EXTENSIONS: readonly string[] = RELAYED_OPTION_TAGS;

export type CoreAnswer =
  | { kind: "respond"; status: number; reason: string; headers: HeaderInit[] }
  /** ACK: no response ever (RFC 3261 §17.1.1.3). */
  | { kind: "none" }
  /** CANCEL: the transaction layer finds the INVITE it cancels. */
  | { kind: "cancel" }
  /** A request for the upper layers (authentication, registrar, calls). */
  | { kind: "forward" };

export function answerRequest(request: SipRequest): CoreAnswer {
  const method = request.method;
  if (method === "ACK") return { kind: "none" };
  if (!(ALLOWED_METHODS as readonly string[]).includes(method)) {
    // RFC 3261 §8.2.1: a method we do not implement gets 501 with an Allow header
    return { kind: "respond", status: 501, reason: "Not Implemented", headers: [["Allow", ALLOW]] };
  }
  if (method !== "CANCEL") {
    const unsupported = unsupportedRequire(request, SUPPORTED_EXTENSIONS);
    // RFC 3261 §8.2.2.3: list what we do not support in Unsupported
    if (unsupported.length > 0)
      return {
        kind: "respond",
        status: 420,
        reason: "Bad Extension",
        headers: [["Unsupported", unsupported.join(", ")]],
      };
  }
  if (method === "CANCEL") return { kind: "cancel" };
  // RFC 3261 §12.2.2: an OPTIONS with a To tag is inside a dialog: the call it belongs to relays it
  if (method === "OPTIONS" && getTo(request)?.tag != null) return { kind: "forward" };
  if (method === "OPTIONS") {
    // RFC 3261 §11.2: OPTIONS is answered like an INVITE would be, here always 200 (keep-alive probes)
    return {
      kind: "respond",
      status: 200,
      reason: "OK",
      headers: [
        ["Allow", ALLOW],
        ["Accept", "application/sdp"],
        ["Accept-Encoding", "identity"],
        ["Accept-Language", "en"],
      ],
    };
  }
  // RFC 3261 §16.3 step 2 (we relay INVITE and BYE as a B2BUA): no hops left, no forwarding
  if ((method === "INVITE" || method === "BYE") && getMaxForwards(request) === 0) {
    return { kind: "respond", status: 483, reason: "Too Many Hops", headers: [] };
  }
  return { kind: "forward" };
}
