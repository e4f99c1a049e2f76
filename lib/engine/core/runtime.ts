import type { ConfigSnapshot } from "@/lib/domain/config-snapshot";
import type { ChallengeMode } from "@/lib/engine/auth/challenge";
import type { AccessSettings } from "@/lib/engine/core/access-control";
import { buildGatewayIndex, type GatewayIndex } from "@/lib/engine/core/gateway-index";
import type { RegisterParams } from "@/lib/engine/registrar/register-request";
import type { CallSettings } from "@/lib/engine/routing/call-registry";

/** Everything a request needs from the running snapshot, computed once when it is applied. */
export type Runtime = {
  snapshot: ConfigSnapshot;
  index: GatewayIndex;
  access: AccessSettings;
  register: RegisterParams;
  /** Accounts that may hold registrations: enabled Password gateways (DESIGN.md) and dynamic routing gateways. */
  accountIds: Set<string>;
  /** Read by the B2BUA at call setup only: a reload never changes a call in flight. */
  calls: CallSettings;
  /** SERVER_BILLING_RECORD_ILLEGAL_CALL: INVITEs refused for authentication get a CDR too. */
  billIllegalCalls: boolean;
  /** Addresses brute-force protection never suspends, and why (SS_AUTH_SUSPEND_ALLOW_GATEWAYS, SS_AUTH_SUSPEND_ALLOWLIST). */
  neverSuspended: Array<{ address: string; from: "gateway" | "allowlist" }>;
};

function neverSuspended(p: ConfigSnapshot["parameters"], index: GatewayIndex): Runtime["neverSuspended"] {
  const gateways = p.SS_AUTH_SUSPEND_ALLOW_GATEWAYS === false ? [] : [...new Set(index.knownAddresses)];
  const listed = String(p.SS_AUTH_SUSPEND_ALLOWLIST ?? "")
    .split(",")
    .filter((a) => a !== "");
  return [
    ...gateways.map((address) => ({ address, from: "gateway" as const })),
    ...listed.map((address) => ({ address, from: "allowlist" as const })),
  ];
}

export function buildRuntime(snapshot: ConfigSnapshot): Runtime {
  const p = snapshot.parameters;
  const index = buildGatewayIndex(snapshot);
  return {
    snapshot,
    index,
    neverSuspended: neverSuspended(p, index),
    access: {
      mode: p.SS_AUTHCHALLENGEMODE as ChallengeMode,
      realm: String(p.SS_SIP_DOMAIN),
      algorithms: String(p.SS_DIGEST_ALGORITHMS),
      nonceLifetimeSeconds: Number(p.SS_NONCE_LIFETIME),
      maxRetry: Number(p.SS_AUTHENTICATION_MAX_RETRY),
      suspendSeconds: Number(p.SS_AUTHENTICATION_FAILED_SUSPEND),
      replyUnauthorized: Boolean(p.SS_REPLY_UNAUTHORIZED),
    },
    register: {
      defaultExpires: Number(p.SS_ENDPOINT_EXPIRE),
      maxExpires: Number(p.SS_ENDPOINT_EXPIRE),
      minExpires: 60,
      graceSeconds: Number(p.SS_ENDPOINTTIMETOLIVE),
      replace: Boolean(p.SS_ENDPOINT_REGISTER_REPLACE),
    },
    calls: {
      inviteTimeoutMs: Number(p.SS_SIP_TIMEOUT_INVITE) * 1000,
      switchLimit: Number(p.SS_GATEWAY_SWITCH_LIMIT),
      sessionTtlMs: Number(p.SS_SIP_SESSION_TTL) * 1000,
      minSessionExpires: Number(p.SS_SIP_MIN_SE),
      allowRefer: Boolean(p.SS_SIP_ALLOW_REFER),
    },
    billIllegalCalls: Boolean(p.SERVER_BILLING_RECORD_ILLEGAL_CALL),
    accountIds: new Set([
      ...snapshot.mappingGateways.filter((g) => g.enabled && g.authMode === "password").map((g) => g.id),
      ...snapshot.routingGateways.filter((g) => g.enabled && g.kind === "dynamic").map((g) => g.id),
    ]),
  };
}
