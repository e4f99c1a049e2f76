// Test support: handwritten REGISTER requests parsed by the SIP layer, and the usual parameters.
import type { SipRequest } from "@/lib/engine/sip/message";
import { parseDatagram } from "@/lib/engine/sip/parser";
import type { Remote } from "@/lib/engine/transport/remote";
import type { RegisterParams } from "@/lib/engine/registrar/register-request";

export const PHONE: Remote = { transport: "udp", address: "192.0.2.10", port: 5062 };
export const OTHER_PHONE: Remote = { transport: "udp", address: "198.51.100.7", port: 5060 };

/** SS_ENDPOINT_EXPIRE 3600 (also the most granted), 60 s minimum, SS_ENDPOINTTIMETOLIVE 60, replace on. */
export const PARAMS: RegisterParams = {
  defaultExpires: 3600,
  minExpires: 60,
  maxExpires: 3600,
  graceSeconds: 60,
  replace: true,
};

export interface RegisterSpec {
  readonly callId?: string;
  readonly cseq?: number;
  /** Each item is one Contact line, written as given. */
  readonly contacts?: readonly string[];
  readonly expires?: number | string;
  readonly userAgent?: string;
  readonly user?: string;
}

export function parseRequest(bytes: Buffer): SipRequest {
  const parsed = parseDatagram(bytes);
  if (!parsed.ok || parsed.message.kind !== "request")
    throw new Error(`test REGISTER does not parse: ${parsed.ok ? "response" : parsed.reason}`);
  return parsed.message;
}

export function registerRequest(spec: RegisterSpec = {}): SipRequest {
  const user = spec.user ?? "alice";
  const cseq = spec.cseq ?? 1;
  const lines = [
    "REGISTER sip:example.com SIP/2.0",
    `Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-${cseq}-${user}`,
    "Max-Forwards: 70",
    `From: <sip:${user}@example.com>;tag=a73kszlfl`,
    `To: <sip:${user}@example.com>`,
    `Call-ID: ${spec.callId ?? "1j9FpLxk3uxtm8tn@192.0.2.10"}`,
    `CSeq: ${cseq} REGISTER`,
    ...(spec.contacts ?? [`<sip:${user}@192.0.2.10:5062>`]).map((c) => `Contact: ${c}`),
    ...(spec.expires === undefined ? [] : [`Expires: ${spec.expires}`]),
    ...(spec.userAgent === undefined ? [] : [`User-Agent: ${spec.userAgent}`]),
    "Content-Length: 0",
    "",
    "",
  ];
  return parseRequest(Buffer.from(lines.join("\r\n"), "utf8"));
}
