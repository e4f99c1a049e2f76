// The system-parameter catalog: the single source of truth for the UI, the API and the engine.
// Every entry changes behaviour, or says plainly that it is kept for VOS3000 compatibility.
import { canonicalIp } from "@/lib/domain/gateway-fields";

export type ParameterGroup =
  "Authentication" | "Registration" | "Calls" | "Outbound registration" | "Console" | "Billing";

type Common = {
  name: string;
  group: ParameterGroup;
  description: string;
  /** Section of the VOS3000 manual where the parameter is described, when known. */
  vosSection?: string;
  /** Who honours it: the SIP engine (after Reload) or the console itself. */
  scope: "engine" | "console";
};

export type IntegerParameter = Common & { type: "integer"; default: number; min: number; max: number; unit?: string };
export type DurationParameter = Common & { type: "duration"; default: number; min: number; max: number; unit: "s" };
export type BooleanParameter = Common & { type: "boolean"; default: boolean };
export type EnumParameter = Common & {
  type: "enum";
  default: number | string;
  values: ReadonlyArray<{ value: number | string; label: string }>;
};
export type StringParameter = Common & {
  type: "string";
  default: string;
  pattern: RegExp;
  patternHint: string;
  /** A check beyond the pattern: the message naming what is wrong, or null when the value is good. */
  check?: (value: string) => string | null;
};

export type ParameterDefinition =
  IntegerParameter | DurationParameter | BooleanParameter | EnumParameter | StringParameter;
export type ParameterValue = number | string | boolean;

export const parameterCatalog: readonly ParameterDefinition[] = [
  {
    name: "SS_AUTHCHALLENGEMODE",
    group: "Authentication",
    scope: "engine",
    type: "enum",
    default: 2,
    vosSection: "4.3.5.1 Softswitch parameter",
    values: [
      { value: 1, label: "401 Unauthorized with WWW-Authenticate" },
      { value: 2, label: "407 Proxy Authentication Required with Proxy-Authenticate" },
      { value: 3, label: "Both, by method: 401 for REGISTER, 407 for other methods" },
    ],
    description:
      "How the softswitch challenges Password-mode mapping gateways. Credentials are accepted in either Authorization or Proxy-Authorization whatever the mode; ACK and CANCEL are never challenged.",
  },
  {
    name: "SS_AUTHENTICATION_MAX_RETRY",
    group: "Authentication",
    scope: "engine",
    type: "integer",
    default: 6,
    min: 0,
    max: 999,
    unit: "attempts",
    description:
      "Failed answers to our challenge, within SS_AUTHENTICATION_FAILED_SUSPEND seconds, after which the source address is suspended. The first request without credentials does not count. 0 = never suspend.",
  },
  {
    name: "SS_AUTHENTICATION_FAILED_SUSPEND",
    group: "Authentication",
    scope: "engine",
    type: "duration",
    default: 180,
    min: 60,
    max: 3600,
    unit: "s",
    description:
      "Window in which failed answers are counted, and how long a source that reached SS_AUTHENTICATION_MAX_RETRY stays suspended.",
  },
  {
    name: "SS_AUTH_SUSPEND_ALLOW_GATEWAYS",
    group: "Authentication",
    scope: "engine",
    type: "boolean",
    default: true,
    description:
      "On: the addresses of IP and IP+Port mapping gateways and of static routing gateways are never suspended for failed authentication, so one misconfigured phone behind a trunk's address cannot cut the trunk off.",
  },
  {
    name: "SS_AUTH_SUSPEND_ALLOWLIST",
    group: "Authentication",
    scope: "engine",
    type: "string",
    default: "",
    pattern: /^$|^[0-9A-Fa-f.:]{2,45}(,[0-9A-Fa-f.:]{2,45}){0,199}$/,
    patternHint: "IP addresses separated by commas, no spaces, such as 192.0.2.10,2001:db8::1 (empty for none)",
    check: (value) => {
      const bad = value === "" ? undefined : value.split(",").find((a) => canonicalIp(a) === null);
      return bad === undefined ? null : `"${bad}" is not an IPv4 or IPv6 address`;
    },
    description:
      "Further addresses that are never suspended for failed authentication (a monitoring probe, an office NAT). Their failures are still counted and shown in the security monitor.",
  },
  {
    name: "SS_REPLY_UNAUTHORIZED",
    group: "Authentication",
    scope: "engine",
    type: "boolean",
    default: true,
    description:
      "On: a request from an unknown source gets 403 Forbidden. Off: it gets no answer at all (scanners learn nothing).",
  },
  {
    name: "SS_SIP_DOMAIN",
    group: "Authentication",
    scope: "engine",
    type: "string",
    default: "softswitch.local",
    pattern:
      /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/,
    patternHint: "a domain name such as sip.example.com",
    description:
      "The digest realm in the softswitch's challenges. At Reload, Password gateways' digest hashes (HA1) are computed for this realm; devices configured with a fixed realm must use this one.",
  },
  {
    name: "SS_NONCE_LIFETIME",
    group: "Authentication",
    scope: "engine",
    type: "duration",
    default: 300,
    min: 10,
    max: 3600,
    unit: "s",
    description:
      "How long a nonce stays valid. A right answer with an expired nonce is challenged again with stale=true, so the client retries without asking its user.",
  },
  {
    name: "SS_DIGEST_ALGORITHMS",
    group: "Authentication",
    scope: "engine",
    type: "enum",
    default: "MD5",
    values: [
      { value: "MD5", label: "MD5 only (every SIP device)" },
      { value: "MD5,SHA-256", label: "MD5 and SHA-256, MD5 first" },
      { value: "SHA-256,MD5", label: "SHA-256 and MD5, SHA-256 first (RFC 8760)" },
    ],
    description:
      "Digest algorithms offered in challenges, one challenge header each, in this order. Many devices only take the first; offer SHA-256 first only when every device supports it.",
  },
  {
    name: "SS_ENDPOINT_EXPIRE",
    group: "Registration",
    scope: "engine",
    type: "duration",
    default: 3600,
    min: 60,
    max: 86400,
    unit: "s",
    description:
      "Registration lifetime granted when a REGISTER asks for none, and the most granted. A REGISTER asking below 60 s gets 423 Interval Too Brief.",
  },
  {
    name: "SS_ENDPOINTTIMETOLIVE",
    group: "Registration",
    scope: "engine",
    type: "duration",
    default: 60,
    min: 0,
    max: 3600,
    unit: "s",
    description:
      "Grace period after a registration expires before its binding is removed, so a refresh that arrives a little late does not drop calls.",
  },
  {
    name: "SS_ENDPOINT_REGISTER_REPLACE",
    group: "Registration",
    scope: "engine",
    type: "boolean",
    default: true,
    description:
      "On: a new registration for the same account replaces the old binding. Off: it is refused while the old binding lives.",
  },
  {
    name: "SS_SIP_TIMEOUT_INVITE",
    group: "Calls",
    scope: "engine",
    type: "duration",
    default: 10,
    min: 1,
    max: 180,
    unit: "s",
    description:
      "How long to wait for a carrier's first response to our INVITE before failing over to the next routing gateway.",
  },
  {
    name: "SS_GATEWAY_SWITCH_LIMIT",
    group: "Calls",
    scope: "engine",
    type: "integer",
    default: 3,
    min: 1,
    max: 20,
    unit: "gateways",
    description:
      "Most routing gateways tried for one call (the first one included). Failover never happens after an answer.",
  },
  {
    name: "SS_SIP_SESSION_TTL",
    group: "Calls",
    scope: "engine",
    type: "duration",
    default: 0,
    min: 0,
    max: 86400,
    unit: "s",
    description:
      "Longest time an answered call may go without any in-dialog request or session refresh before the softswitch ends it with BYE on both legs; 0 = never (calls that negotiated RFC 4028 session timers are ended when a refresh that was due does not come, whatever this says). The call record says 'session timer expired'.",
  },
  {
    name: "SS_SIP_ALLOW_REFER",
    group: "Calls",
    scope: "engine",
    type: "boolean",
    default: false,
    description:
      "Relay REFER (call transfer) inside a call to the other party. Off: REFER is refused with 403, which stops transfer fraud through the softswitch.",
  },
  {
    name: "SS_SIP_MIN_SE",
    group: "Calls",
    scope: "engine",
    type: "duration",
    default: 90,
    min: 90,
    max: 86400,
    unit: "s",
    description:
      "Smallest session interval (RFC 4028 Min-SE) the softswitch accepts: a call asking for a shorter Session-Expires is refused with 422 and this value.",
  },
  {
    name: "SS_SIP_USER_AGENT_EXPIRE",
    group: "Outbound registration",
    scope: "engine",
    type: "duration",
    default: 3600,
    min: 60,
    max: 86400,
    unit: "s",
    description: "Expiry the softswitch asks for when it registers to a register-out routing gateway (carrier).",
  },
  {
    name: "SS_SIP_USER_AGENT_RETRY_DELAY",
    group: "Outbound registration",
    scope: "engine",
    type: "duration",
    default: 60,
    min: 5,
    max: 3600,
    unit: "s",
    description: "Wait before retrying an outbound registration that failed or was refused.",
  },
  {
    name: "SS_SIP_USER_AGENT_SEND_UNREGISTER",
    group: "Outbound registration",
    scope: "engine",
    type: "boolean",
    default: true,
    description:
      "On: when a register-out gateway is removed or disabled, the softswitch unregisters (Expires: 0) from the carrier.",
  },
  {
    name: "SERVER_LOGIN_FAILED_DISABLE_TIME",
    group: "Console",
    scope: "console",
    type: "duration",
    default: 300,
    min: 0,
    max: 86400,
    unit: "s",
    description:
      "After 5 failed console sign-ins for one username, sign-in for it is refused for this long. 0 = no lockout.",
  },
  {
    name: "SERVER_BILLING_RECORD_ILLEGAL_CALL",
    group: "Billing",
    scope: "engine",
    type: "boolean",
    default: true,
    description:
      "On: calls refused for authentication (unknown source, bad password, suspended) also get a call record.",
  },
];

const byName = new Map(parameterCatalog.map((p) => [p.name, p]));

export function findParameter(name: string): ParameterDefinition | undefined {
  return byName.get(name);
}

export function defaultParameterValues(): Record<string, ParameterValue> {
  return Object.fromEntries(parameterCatalog.map((p) => [p.name, p.default]));
}
