import type { SnapshotMappingGateway, SnapshotRoutingGateway } from "@/lib/domain/config-snapshot";
import type { Clock } from "@/lib/engine/clock";
import { authenticateRequest } from "@/lib/engine/auth/authenticate";
import { BruteForceGuard, formatAuthFailureLog } from "@/lib/engine/auth/brute-force";
import {
  challengeFor,
  challengeHeaderInits,
  challengeHeaders,
  parseOfferedAlgorithms,
  type Challenge,
  type ChallengeMode,
} from "@/lib/engine/auth/challenge";
import type { NonceService } from "@/lib/engine/auth/nonces";
import { sourceAddress } from "@/lib/engine/auth/source-address";
import { identifyByAddress, type GatewayIndex } from "@/lib/engine/core/gateway-index";
import type { HeaderInit, SipRequest } from "@/lib/engine/sip/message";
import type { Remote } from "@/lib/engine/transport/remote";

// Who may talk to the softswitch (DESIGN.md domain rules): identification by address, then digest
// for Password gateways, challenged as SS_AUTHCHALLENGEMODE says; brute force suspends a source.

export type AccessSettings = {
  mode: ChallengeMode;
  realm: string;
  algorithms: string;
  nonceLifetimeSeconds: number;
  maxRetry: number;
  suspendSeconds: number;
  replyUnauthorized: boolean;
};

export type Access =
  | { kind: "identified"; gateway: SnapshotMappingGateway; by: "ip-port" | "ip" | "digest" }
  /** A dynamic routing gateway (a carrier) that authenticated with its digest account. */
  | { kind: "carrier"; gateway: SnapshotRoutingGateway }
  /** `refused`: an answer that refuses the sender for authentication (a CDR when billed, issue 9). */
  | { kind: "respond"; status: number; reason: string; headers: HeaderInit[]; refused?: "stranger" | "failed-digest" }
  /** No answer at all: a suspended source, or a stranger with SS_REPLY_UNAUTHORIZED off. */
  | { kind: "silence"; why: "suspended" | "unknown-source" };

/** What is decided before any credentials are read: suspended, known by address, a stranger, or challenged. */
export type AddressDecision =
  | { kind: "suspended" }
  | { kind: "identified"; gateway: SnapshotMappingGateway; by: "ip-port" | "ip" }
  | { kind: "stranger" }
  | { kind: "challenge"; challenge: Challenge };

/**
 * DESIGN.md order of identification: a suspended source first, then an IP+Port gateway, then an IP
 * gateway; else a challenge when some digest account exists and the method is challenged. Pure: the
 * route simulator (dry-run.ts) runs the same function.
 */
export function decideByAddress(
  index: GatewayIndex,
  mode: ChallengeMode,
  method: string,
  address: string,
  port: number,
  suspended: boolean,
): AddressDecision {
  if (suspended) return { kind: "suspended" };
  const known = identifyByAddress(index, address, port);
  if (known) return { kind: "identified", ...known };
  const challenge = challengeFor(mode, method);
  if ((index.byUsername.size === 0 && index.carriersByUsername.size === 0) || challenge === null)
    return { kind: "stranger" };
  return { kind: "challenge", challenge };
}

/** Whom a digest username names once its answer is right: a Password gateway, a dynamic carrier, or nobody. */
export function accountOf(
  index: GatewayIndex,
  username: string,
): { kind: "gateway"; gateway: SnapshotMappingGateway } | { kind: "carrier"; gateway: SnapshotRoutingGateway } | null {
  const gateway = index.byUsername.get(username);
  if (gateway) return { kind: "gateway", gateway };
  const carrier = index.carriersByUsername.get(username);
  return carrier ? { kind: "carrier", gateway: carrier.gateway } : null;
}

/** A request from nobody we know: 403, or no answer at all when SS_REPLY_UNAUTHORIZED is off. */
export function answerStranger(replyUnauthorized: boolean): Extract<Access, { kind: "respond" | "silence" }> {
  return replyUnauthorized
    ? { kind: "respond", status: 403, reason: "Forbidden", headers: [], refused: "stranger" }
    : { kind: "silence", why: "unknown-source" };
}

export type AccessEvents = {
  onAuthFailure(line: string, failure: { address: string; username: string | null }): void;
  onSuspended(address: string): void;
  /** A 401/407 sent (first challenge, stale nonce or failed answer). */
  onChallenge(): void;
  /** A challenge answered with good credentials. */
  onDigestAccepted(): void;
};

export class AccessControl {
  constructor(
    private readonly nonces: NonceService,
    readonly guard: BruteForceGuard,
    private readonly events: AccessEvents,
  ) {}

  static create(clock: Clock, nonces: NonceService, events: AccessEvents): AccessControl {
    return new AccessControl(nonces, new BruteForceGuard(clock), events);
  }

  check(request: SipRequest, from: Remote, index: GatewayIndex, s: AccessSettings): Access {
    const address = sourceAddress(from.address);
    const decided = decideByAddress(index, s.mode, request.method, address, from.port, this.guard.isSuspended(address));
    if (decided.kind === "suspended") return { kind: "silence", why: "suspended" };
    if (decided.kind === "identified") return decided;
    if (decided.kind === "stranger") return answerStranger(s.replyUnauthorized);
    const { challenge } = decided;

    const result = authenticateRequest(request, {
      realm: s.realm,
      algorithms: parseOfferedAlgorithms(s.algorithms),
      nonceLifetimeSeconds: s.nonceLifetimeSeconds,
      lookup: (username) => index.byUsername.get(username) ?? index.carriersByUsername.get(username),
      nonces: this.nonces,
    });
    if (result.ok) {
      this.events.onDigestAccepted();
      const account = accountOf(index, result.username);
      if (account?.kind === "gateway") return { kind: "identified", gateway: account.gateway, by: "digest" };
      return account ? { kind: "carrier", gateway: account.gateway } : answerStranger(s.replyUnauthorized);
    }
    if (result.kind === "bad-request")
      return {
        kind: "respond",
        status: 400,
        reason:
          result.reason === "uri mismatch" ? "Digest uri does not match the Request-URI" : "Malformed credentials",
        headers: [],
      };
    if (result.kind === "failed") {
      this.events.onAuthFailure(
        formatAuthFailureLog({
          source: `${from.address}:${from.port}`,
          username: result.username,
          reason: result.reason,
        }),
        { address, username: result.username },
      );
      // RFC 3261 §22.1 leaves retries to the client; after SS_AUTHENTICATION_MAX_RETRY it is suspended.
      if (
        this.guard.recordFailure(address, {
          maxRetry: s.maxRetry,
          windowSeconds: s.suspendSeconds,
          username: result.username ?? undefined,
        })
      ) {
        this.events.onSuspended(address);
        return { kind: "silence", why: "suspended" };
      }
    }
    const values = challengeHeaders(
      s.realm,
      parseOfferedAlgorithms(s.algorithms),
      this.nonces.issue(),
      result.kind === "stale",
    );
    const refused = result.kind === "failed" ? { refused: "failed-digest" as const } : {};
    this.events.onChallenge();
    return {
      kind: "respond",
      status: challenge.status,
      reason: challenge.reason,
      headers: challengeHeaderInits(challenge, values),
      ...refused,
    };
  }
}
