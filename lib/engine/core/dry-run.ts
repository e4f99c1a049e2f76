import type { ConfigSnapshot, SnapshotMappingGateway, SnapshotRoutingGateway } from "@/lib/domain/config-snapshot";
import { findParameter } from "@/lib/domain/parameter-catalog";
import type {
  SimulateRequest,
  SimulationChallenge,
  SimulationIdentification,
  SimulationResult,
} from "@/lib/domain/route-simulation";
import type { Challenge, ChallengeMode } from "@/lib/engine/auth/challenge";
import { sourceAddress } from "@/lib/engine/auth/source-address";
import { accountOf, answerStranger, decideByAddress } from "@/lib/engine/core/access-control";
import { explainRouting } from "@/lib/engine/core/dry-run-routes";
import { stepAfterIdentification } from "@/lib/engine/core/request-handler";
import { buildRuntime, type Runtime } from "@/lib/engine/core/runtime";
import type { Remote } from "@/lib/engine/transport/remote";

// The route and auth simulator (issue 11): what the engine would do with one request, decided by the
// engine's own functions in the engine's order — access-control.ts decideByAddress and accountOf,
// request-handler.ts stepAfterIdentification, route-selection.ts selectRoutes — and explained.

/** What the dry run needs from a live engine; `idleEngine` when none can be asked. */
export type LiveState = {
  liveCalls: (gatewayId: string) => number;
  contactOf: (routingGatewayId: string) => Remote | null;
  isSuspended: (address: string) => boolean;
};
export const idleEngine: LiveState = { liveCalls: () => 0, contactOf: () => null, isSuspended: () => false };

export type DryRun = Omit<SimulationResult, "config">;

const nobody: SimulationIdentification = { by: "none", gateway: null, text: "" };
const kindOf: Record<SnapshotMappingGateway["authMode"], string> = {
  ip: "an IP gateway",
  "ip-port": "an IP+Port gateway",
  password: "a Password gateway",
};

function modeText(mode: ChallengeMode): string {
  const def = findParameter("SS_AUTHCHALLENGEMODE");
  const label = def?.type === "enum" ? def.values.find((v) => v.value === mode)?.label : undefined;
  return `SS_AUTHCHALLENGEMODE is ${mode}: ${label ?? "unknown mode"}. Credentials are accepted in either Authorization or Proxy-Authorization whatever the mode.`;
}

function describeChallenge(c: Challenge, mode: ChallengeMode, method: string): SimulationChallenge {
  return {
    status: c.status,
    header: c.header,
    mode,
    modeText: modeText(mode),
    text: `The ${method} is challenged with ${c.status} ${c.reason} and a ${c.header} header.`,
  };
}

function identified(
  gateway: SnapshotMappingGateway | SnapshotRoutingGateway,
  by: SimulationIdentification["by"],
  text: string,
): SimulationIdentification {
  return {
    by,
    gateway: { id: gateway.id, name: gateway.name, authMode: "authMode" in gateway ? gateway.authMode : gateway.kind },
    text,
  };
}

function hostPort(address: string, port: number): string {
  return address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Gateways that would have matched the source but do not identify it: disabled, or IP+Port on another port. */
function addressHints(
  snapshot: ConfigSnapshot,
  address: string,
  port: number,
): { disabled: string[]; otherPort: string[] } {
  const withAddress = snapshot.mappingGateways.filter(
    (g) => g.authMode !== "password" && g.ipAddresses.includes(address),
  );
  return {
    disabled: withAddress.filter((g) => !g.enabled && (g.authMode === "ip" || g.port === port)).map((g) => g.name),
    otherPort: withAddress
      .filter((g) => g.enabled && g.authMode === "ip-port" && g.port !== port)
      .map((g) => `${g.name} (port ${g.port})`),
  };
}

class Draft {
  result: DryRun = {
    outcome: { kind: "silence", status: null, reason: "", text: "" },
    identification: nobody,
    challenge: null,
    refusals: [],
    rewrites: null,
    routes: [],
    skipped: [],
    steps: [],
  };
  step(text: string): this {
    this.result.steps.push(text);
    return this;
  }
  refuse(kind: DryRun["refusals"][number]["kind"], status: number | null, reason: string, text: string): DryRun {
    this.result.refusals.push({ kind, status, reason, text });
    this.step(text);
    return this.end(status === null ? "silence" : "refused", status, reason, text);
  }
  end(kind: DryRun["outcome"]["kind"], status: number | null, reason: string, text: string): DryRun {
    this.result.outcome = { kind, status, reason, text };
    return this.result;
  }
}

/** A request from nobody the configuration knows: 403, or silence when SS_REPLY_UNAUTHORIZED is off. */
function stranger(d: Draft, runtime: Runtime, why: string, disabled: string[]): DryRun {
  const answer = answerStranger(runtime.access.replyUnauthorized);
  const said =
    answer.kind === "respond"
      ? `SS_REPLY_UNAUTHORIZED is on: ${answer.status} ${answer.reason}`
      : "SS_REPLY_UNAUTHORIZED is off: no answer at all";
  const status = answer.kind === "respond" ? answer.status : null;
  const reason = answer.kind === "respond" ? answer.reason : "No answer";
  d.result.identification = { ...nobody, text: why };
  d.step(why);
  if (disabled.length > 0)
    return d.refuse(
      "disabled",
      status,
      reason,
      `${disabled.join(", ")} ${disabled.length === 1 ? "has" : "have"} this source but ${disabled.length === 1 ? "is" : "are"} disabled, so ${disabled.length === 1 ? "it identifies" : "they identify"} nobody. ${said}.`,
    );
  return d.refuse("unknown-source", status, reason, `Unknown source. ${said}.`);
}

/** After identification: an answer, the registrar, or the routing of an INVITE (request-handler.ts). */
function afterIdentification(
  d: Draft,
  runtime: Runtime,
  request: SimulateRequest,
  who: { kind: "identified"; gateway: SnapshotMappingGateway } | { kind: "carrier"; gateway: SnapshotRoutingGateway },
  live: LiveState,
): DryRun {
  const name = who.gateway.name;
  const next = stepAfterIdentification(who, request.method, false);
  if (next.kind === "answer") {
    if (next.status === 200)
      return d
        .step(`A REGISTER from an IP or IP+Port gateway is acknowledged, not bound: ${next.status} ${next.reason}.`)
        .end("answered", next.status, next.reason, `${next.status} ${next.reason}: ${name} is reached at its address.`);
    if (next.reason === "Gateway Locked")
      return d.refuse(
        "locked",
        next.status,
        next.reason,
        `${name} is locked: ${next.status} ${next.reason} (a locked gateway may still register, but places no calls).`,
      );
    if (next.reason === "Carriers Register Only")
      return d.refuse(
        "carrier-invite",
        next.status,
        next.reason,
        `${name} is a dynamic routing gateway: it registers here so that calls can reach it, and places no calls: ${next.status} ${next.reason}.`,
      );
    throw new Error(`dry run: answer not explained: ${next.status} ${next.reason}`);
  }
  if (next.kind === "register") {
    const text = `The registrar stores ${name}'s binding: 200 OK (its checks of Contact and Expires are not simulated).`;
    return d.step(text).end("answered", 200, "OK", text);
  }
  if (who.kind !== "identified") throw new Error("dry run: only a mapping gateway places calls");
  const routing = explainRouting(
    {
      mapping: who.gateway,
      routing: runtime.snapshot.routingGateways,
      callee: request.callee,
      caller: request.caller,
      liveCalls: live.liveCalls,
      contactOf: live.contactOf,
    },
    runtime.calls.switchLimit,
  );
  Object.assign(d.result, { rewrites: routing.rewrites, routes: routing.routes, skipped: routing.skipped });
  d.result.steps.push(...routing.steps);
  if (routing.refusal) {
    d.result.refusals.push(routing.refusal);
    return d.end("refused", routing.refusal.status, routing.refusal.reason, routing.refusal.text);
  }
  const names = routing.routes.filter((r) => r.tried).map((r) => r.name);
  const text = `The INVITE goes to ${names[0]}${names.length > 1 ? `, then on failure to ${names.slice(1).join(", then ")}` : ""}.`;
  return d.end("routed", null, `Sent to ${names[0]}`, text);
}

/** The engine's verdict on `request` under `snapshot`, step by step. */
export function dryRun(snapshot: ConfigSnapshot, request: SimulateRequest, live: LiveState = idleEngine): DryRun {
  const runtime = buildRuntime(snapshot);
  const d = new Draft();
  const address = sourceAddress(request.sourceAddress);
  const { mode } = runtime.access;
  const numbers = request.method === "INVITE" ? `, caller ${request.caller}, callee ${request.callee}` : "";
  d.step(
    `${request.method} from ${hostPort(address, request.sourcePort)} over ${request.transport.toUpperCase()}${numbers}. Mapping gateways match address and port, whatever the transport.`,
  );

  const decided = decideByAddress(
    runtime.index,
    mode,
    request.method,
    address,
    request.sourcePort,
    live.isSuspended(address),
  );
  if (decided.kind === "suspended") {
    d.result.identification = { ...nobody, text: "Not identified: the source is suspended for failed authentication." };
    return d.refuse(
      "suspended",
      null,
      "No answer",
      `${address} is suspended for failed authentication (see Security monitor): no answer at all, whatever the configuration.`,
    );
  }
  if (decided.kind === "identified") {
    const how =
      decided.by === "ip-port"
        ? `address and port (${hostPort(address, request.sourcePort)})`
        : `address (${address}), on any port`;
    d.result.identification = identified(
      decided.gateway,
      decided.by,
      `Identified as ${decided.gateway.name}, ${kindOf[decided.gateway.authMode]}, by its ${how}. Not challenged: only Password gateways are.`,
    );
    d.step(d.result.identification.text);
    if (request.digestUsername)
      d.step(
        `The digest username ${request.digestUsername} is not used: the source address identifies the gateway first.`,
      );
    return afterIdentification(d, runtime, request, { kind: "identified", gateway: decided.gateway }, live);
  }

  const hints = addressHints(snapshot, address, request.sourcePort);
  const otherPort =
    hints.otherPort.length > 0
      ? ` ${hints.otherPort.join(", ")} ${hints.otherPort.length === 1 ? "has" : "have"} this address on another port only.`
      : "";
  const unmatched = `No enabled IP+Port or IP gateway has this source.${otherPort}`;
  if (decided.kind === "stranger")
    return stranger(d, runtime, `${unmatched} No Password gateway exists to challenge it.`, hints.disabled);

  d.result.challenge = describeChallenge(decided.challenge, mode, request.method);
  d.step(
    `${unmatched} Digest accounts exist (Password gateways, or dynamic routing gateways that register), so the sender must authenticate.`,
  );
  d.step(`${d.result.challenge.text} ${d.result.challenge.modeText}`);
  const username = request.digestUsername;
  if (!username) {
    const next =
      "The digest username it answers with names the Password gateway: enter one to follow the request further.";
    d.result.identification = { ...nobody, text: `${unmatched} Challenged. ${next}` };
    const c = decided.challenge;
    return d
      .step(next)
      .end(
        "challenged",
        c.status,
        c.reason,
        `${c.status} ${c.reason}: the sender must answer with a Password gateway's username and password.`,
      );
  }
  const account = accountOf(runtime.index, username);
  if (account?.kind === "gateway") {
    d.result.identification = identified(
      account.gateway,
      "digest",
      `Answers the challenge as ${username} with the right password: Password gateway ${account.gateway.name}.`,
    );
    d.step(d.result.identification.text);
    return afterIdentification(d, runtime, request, { kind: "identified", gateway: account.gateway }, live);
  }
  if (account?.kind === "carrier") {
    d.result.identification = identified(
      account.gateway,
      "carrier",
      `Answers the challenge as ${username} with the right password: dynamic routing gateway ${account.gateway.name}.`,
    );
    d.step(d.result.identification.text);
    return afterIdentification(d, runtime, request, account, live);
  }
  const p = snapshot.parameters;
  const failed = `the answer fails and is challenged again (${decided.challenge.status}); after ${p.SS_AUTHENTICATION_MAX_RETRY} failures within ${p.SS_AUTHENTICATION_FAILED_SUSPEND} s the source is suspended`;
  const disabled = snapshot.mappingGateways
    .filter((g) => !g.enabled && g.authMode === "password" && g.digestUsername === username)
    .map((g) => g.name);
  d.result.identification = {
    ...nobody,
    text: `${unmatched} No enabled Password gateway has the digest username ${username}.`,
  };
  if (disabled.length > 0)
    return d.refuse(
      "disabled",
      decided.challenge.status,
      decided.challenge.reason,
      `${disabled.join(", ")} has the digest username ${username} but is disabled: ${failed}.`,
    );
  return d.refuse(
    "unknown-username",
    decided.challenge.status,
    decided.challenge.reason,
    `No enabled Password gateway has the digest username ${username}: ${failed}.`,
  );
}
