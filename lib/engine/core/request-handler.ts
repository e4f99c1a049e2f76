import type { SnapshotMappingGateway } from "@/lib/domain/config-snapshot";
import type { AccessControl } from "@/lib/engine/core/access-control";
import type { Runtime } from "@/lib/engine/core/runtime";
import type { Counters } from "@/lib/engine/metrics";
import type { Registrar } from "@/lib/engine/registrar/binding-store";
import { registerReasonPhrase, registerResponseHeaders } from "@/lib/engine/registrar/register-response";
import { getTo } from "@/lib/engine/sip/accessors";
import type { HeaderInit, SipRequest } from "@/lib/engine/sip/message";
import { buildResponse } from "@/lib/engine/sip/response";
import type { B2bua } from "@/lib/engine/routing/b2bua";
import type { InviteServerTransaction, ServerTransaction } from "@/lib/engine/transaction/server-transaction";
import type { Remote } from "@/lib/engine/transport/remote";
import type { IllegalCallRecorder } from "@/lib/engine/cdr/illegal-calls";

// Requests the core forwards upward (REGISTER, INVITE, BYE): who sent it, then what to do with it.

export type RequestHandlerDeps = {
  access: AccessControl;
  registrar: Registrar;
  counters: Counters;
  runtime: () => Runtime;
  /** Calls: INVITEs from mapping gateways, and every request inside a call's dialog. */
  calls: Pick<B2bua, "handleInvite" | "handleInDialog">;
  /** Called for every request from an identified gateway (its "last seen"). */
  onSeen: (gatewayId: string, from: Remote) => void;
  /** INVITEs refused for authentication (SERVER_BILLING_RECORD_ILLEGAL_CALL). */
  illegal?: Pick<IllegalCallRecorder, "refused">;
};

/** What follows identification: an answer, the registrar, or the B2BUA (a call). */
export type NextStep = { kind: "answer"; status: number; reason: string } | { kind: "register" } | { kind: "call" };

/**
 * The step after a request's sender is known (a mapping gateway, or a dynamic carrier by digest).
 * Pure: the route simulator (dry-run.ts) runs the same function.
 */
export function stepAfterIdentification(
  who: { kind: "carrier" } | { kind: "identified"; gateway: Pick<SnapshotMappingGateway, "authMode" | "locked"> },
  method: string,
  hasToTag: boolean,
): NextStep {
  // A dynamic routing gateway registers so that calls can reach its contact; it places no calls here.
  if (who.kind === "carrier")
    return method === "REGISTER"
      ? { kind: "register" }
      : { kind: "answer", status: 403, reason: "Carriers Register Only" };
  if (method === "REGISTER") {
    // IP and IP+Port gateways are reached at their address: their REGISTER is acknowledged, not bound.
    return who.gateway.authMode === "password" ? { kind: "register" } : { kind: "answer", status: 200, reason: "OK" };
  }
  if (who.gateway.locked) return { kind: "answer", status: 403, reason: "Gateway Locked" };
  // RFC 3261 §12.2.2: a request with a To tag that matches no dialog (BYE, re-INVITE) gets 481
  if (method !== "INVITE" || hasToTag)
    return { kind: "answer", status: 481, reason: "Call/Transaction Does Not Exist" };
  return { kind: "call" };
}

export function createRequestHandler(deps: RequestHandlerDeps) {
  const respond = (
    tx: ServerTransaction,
    request: SipRequest,
    status: number,
    reason: string,
    headers: HeaderInit[] = [],
  ): void => {
    tx.respond(buildResponse(request, status, reason, headers));
  };

  return function handleRequest(request: SipRequest, tx: ServerTransaction, from: Remote): void {
    // RFC 3261 §12.2.2: a request inside a live call's dialog (Call-ID and tags) belongs to the call,
    // whoever sends it: a carrier's BYE comes from no mapping gateway, so this is before access control
    if (request.method !== "REGISTER" && deps.calls.handleInDialog(request, tx)) return;
    const runtime = deps.runtime();
    const access = deps.access.check(request, from, runtime.index, runtime.access);
    if (access.kind === "silence") {
      deps.counters.inc("sip_requests_ignored_total", ["reason", access.why]);
      deps.illegal?.refused(request, from, 0, access.why === "suspended" ? "Source Suspended" : "Unknown Source");
      return tx.abandon();
    }
    if (access.kind === "respond") {
      if (access.status === 401 || access.status === 407)
        deps.counters.inc("auth_challenges_total", ["status", access.status]);
      // Only a refusal is billed: the first, credential-less INVITE is merely challenged
      if (access.refused === "stranger") deps.illegal?.refused(request, from, access.status, access.reason);
      if (access.refused === "failed-digest")
        deps.illegal?.refused(request, from, access.status, "Digest Authentication Failed");
      return respond(tx, request, access.status, access.reason, access.headers);
    }
    if (access.kind === "carrier") {
      deps.counters.inc("auth_identified_total", ["by", "carrier"]);
      deps.onSeen(access.gateway.id, from);
      const step = stepAfterIdentification(access, request.method, false);
      if (step.kind === "answer") return respond(tx, request, step.status, step.reason);
      const result = deps.registrar.handleRegister(access.gateway.id, request, from, runtime.register);
      return respond(tx, request, result.status, registerReasonPhrase(result), registerResponseHeaders(result));
    }
    const gateway = access.gateway;
    deps.counters.inc("auth_identified_total", ["by", access.by]);
    deps.onSeen(gateway.id, from);
    const step = stepAfterIdentification(access, request.method, getTo(request)?.tag != null);
    if (step.kind === "answer") return respond(tx, request, step.status, step.reason);
    if (step.kind === "register") {
      const result = deps.registrar.handleRegister(gateway.id, request, from, runtime.register);
      return respond(tx, request, result.status, registerReasonPhrase(result), registerResponseHeaders(result));
    }
    // An INVITE's server transaction is an InviteServerTransaction (transaction-layer.ts)
    const settings = {
      mapping: gateway,
      routing: runtime.snapshot.routingGateways,
      settings: runtime.calls,
      configVersion: runtime.snapshot.version,
    };
    return deps.calls.handleInvite(request, tx as InviteServerTransaction, from, settings);
  };
}
