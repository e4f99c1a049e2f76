import { CARRIER_AUTH_FAILED } from "@/lib/domain/cdr";
import { buildLadders, digestSummaryOf, partiesOf, type TraceMessage } from "@/lib/domain/trace";

// The auth doctor (issue 11): given the messages of a failed registration or call, name the cause
// in this deployment's terms, with the fix as a link. Each pattern reads the ladder the way an
// experienced operator would; several may apply at once.

export type DoctorCause =
  | "ignores-407-on-register"
  | "carrier-challenge-unanswered"
  | "wrong-password"
  | "unknown-username"
  | "realm-mismatch"
  | "stale-nonce-reuse"
  | "wrong-address"
  | "source-suspended";

export type DoctorFinding = {
  cause: DoctorCause;
  title: string;
  explanation: string;
  fix: { label: string; href: string };
  callId: string | null;
};

export type DoctorContext = {
  /** The running SS_SIP_DOMAIN and SS_AUTHCHALLENGEMODE. */
  realm: string;
  challengeMode: number;
  mappingGateways: Array<{
    id: string;
    name: string;
    authMode: string;
    ipAddresses: string[];
    port: number | null;
    digestUsername: string | null;
    enabled: boolean;
  }>;
  routingGateways: Array<{ id: string; name: string; address: string | null; port: number; hasCredentials: boolean }>;
  /** Addresses suspended now for failed authentication. */
  suspendedSources: string[];
};

const isChallenge = (m: TraceMessage) => m.status === 401 || m.status === 407;
const credentialsOf = (m: TraceMessage) =>
  digestSummaryOf(m.text).find((d) => d.header === "Authorization" || d.header === "Proxy-Authorization") ?? null;
const challengeOf = (m: TraceMessage) =>
  digestSummaryOf(m.text).find((d) => d.header === "WWW-Authenticate" || d.header === "Proxy-Authenticate") ?? null;
const isStale = (m: TraceMessage) => /\bstale\s*=\s*"?true/i.test(m.text);

function gatewayLink(ctx: DoctorContext, username: string | null) {
  const g = username ? ctx.mappingGateways.find((x) => x.digestUsername === username) : undefined;
  return g
    ? { label: `Open mapping gateway ${g.name}`, href: `/mapping-gateways/${g.id}` }
    : { label: "Open mapping gateways", href: "/mapping-gateways" };
}

/** The findings for one Call-ID's messages (a registration or one call leg). */
function diagnoseLadder(ctx: DoctorContext, callId: string, messages: TraceMessage[]): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  const add = (f: Omit<DoctorFinding, "callId">) => {
    if (!out.some((x) => x.cause === f.cause)) out.push({ ...f, callId });
  };
  const fromUs = messages.filter((m) => m.direction === "out");
  const toUs = messages.filter((m) => m.direction === "in");
  const carrier = (m: TraceMessage) =>
    ctx.routingGateways.find((g) => g.address === m.remoteAddress && g.port === m.remotePort) ??
    ctx.routingGateways.find((g) => g.address === m.remoteAddress);

  // A carrier challenged our INVITE (a 401/407 came in) and no retry with credentials went out.
  for (const challenge of toUs.filter(isChallenge)) {
    const g = carrier(challenge);
    const answered = fromUs.some(
      (m) => m.id > challenge.id && m.method !== null && m.method !== "ACK" && credentialsOf(m) !== null,
    );
    if (!answered) {
      add({
        cause: "carrier-challenge-unanswered",
        title: `The carrier${g ? ` ${g.name}` : ""} asked for credentials and got none`,
        explanation: `${challenge.remoteAddress} answered ${challenge.status} to our ${challenge.cseqMethod ?? "request"}${g && !g.hasCredentials ? ` and routing gateway ${g.name} has no username and password to answer with` : " and the softswitch did not retry with credentials"}.`,
        fix: g
          ? { label: `Set the credentials of ${g.name}`, href: `/routing-gateways/${g.id}` }
          : { label: "Open routing gateways", href: "/routing-gateways" },
      });
    }
  }

  // Our own challenges, and how the endpoint answered them.
  const ourChallenges = fromUs.filter(isChallenge);
  for (const challenge of ourChallenges) {
    const retry = toUs.find((m) => m.id > challenge.id && m.method === challenge.cseqMethod);
    const credentials = retry ? credentialsOf(retry) : null;
    // Never answered at all: an endpoint that did answer once understands 407 (a later give-up is another story)
    const everAnswered = toUs.some((m) => m.method === "REGISTER" && credentialsOf(m) !== null);
    if (challenge.status === 407 && challenge.cseqMethod === "REGISTER" && !everAnswered) {
      add({
        cause: "ignores-407-on-register",
        title: "The endpoint does not answer 407 on REGISTER",
        explanation: `The softswitch challenged a REGISTER with 407 Proxy Authentication Required (SS_AUTHCHALLENGEMODE ${ctx.challengeMode}) and the endpoint ${retry ? "sent it again without credentials" : "gave up"}. Many phones and gateways only answer 401 to a REGISTER.`,
        fix: {
          label: "Set SS_AUTHCHALLENGEMODE to 1 (401 always) or 3 (401 for REGISTER, 407 for the rest)",
          href: "/parameters?search=SS_AUTHCHALLENGEMODE",
        },
      });
    }
    if (!credentials) continue;
    const offered = challengeOf(challenge);
    if (credentials.realm !== null && credentials.realm !== ctx.realm) {
      add({
        cause: "realm-mismatch",
        title: "The endpoint answers for another realm",
        explanation: `Its credentials say realm "${credentials.realm}", the softswitch's realm (SS_SIP_DOMAIN) is "${ctx.realm}": the digest can never match.`,
        fix: {
          label: `Set the device's realm to ${ctx.realm}, or leave it empty so it takes the challenge's`,
          href: "/parameters?search=SS_SIP_DOMAIN",
        },
      });
      continue;
    }
    // The endpoint answered a stale=true challenge (its nonce had expired) with the same old nonce.
    if (isStale(challenge) && offered?.nonce && credentials.nonce !== offered.nonce) {
      const earlier = ourChallenges.filter((c) => c.id < challenge.id).map((c) => challengeOf(c)?.nonce);
      if (
        earlier.includes(credentials.nonce) ||
        toUs.some((m) => m.id < challenge.id && credentialsOf(m)?.nonce === credentials.nonce)
      ) {
        add({
          cause: "stale-nonce-reuse",
          title: "The endpoint keeps reusing an expired nonce",
          explanation: `The softswitch answered stale=true with a fresh nonce, and the endpoint sent the old nonce "${credentials.nonce}" again instead of the new one. Its firmware caches nonces longer than SS_NONCE_LIFETIME allows.`,
          fix: {
            label: "Raise SS_NONCE_LIFETIME, or update the device's firmware",
            href: "/parameters?search=SS_NONCE_LIFETIME",
          },
        });
        continue;
      }
    }
    const refusedAgain =
      retry && fromUs.some((m) => m.id > retry.id && isChallenge(m) && m.cseqMethod === retry.method && !isStale(m));
    if (!refusedAgain) continue;
    const known = ctx.mappingGateways.some(
      (g) => g.authMode === "password" && g.digestUsername === credentials.username,
    );
    if (!known) {
      add({
        cause: "unknown-username",
        title: `No Password gateway has the username "${credentials.username}"`,
        explanation:
          "The endpoint's credentials name an account the softswitch does not have (or not in the running configuration: was it reloaded?).",
        fix: { label: "Open mapping gateways", href: "/mapping-gateways" },
      });
    } else {
      add({
        cause: "wrong-password",
        title: "Wrong password: the endpoint's answers are refused",
        explanation: `The endpoint answered as "${credentials.username}" in realm "${ctx.realm}" with a current nonce and was challenged again: the password it uses is not the gateway's.`,
        fix: {
          ...gatewayLink(ctx, credentials.username),
          label: `Set the same password on the device and on gateway ${ctx.mappingGateways.find((g) => g.digestUsername === credentials.username)?.name}`,
        },
      });
    }
  }

  // Refused or ignored as a stranger: is it a gateway's address with the wrong port, or a suspended source?
  for (const request of toUs.filter((m) => m.method !== null)) {
    const answers = fromUs.filter((m) => m.id > request.id && m.cseqMethod === request.method);
    if (ctx.suspendedSources.includes(request.remoteAddress) && answers.length === 0) {
      add({
        cause: "source-suspended",
        title: `${request.remoteAddress} is suspended for failed authentication`,
        explanation:
          "After SS_AUTHENTICATION_MAX_RETRY failed answers within SS_AUTHENTICATION_FAILED_SUSPEND seconds the softswitch stops answering the address at all, so the device times out.",
        fix: { label: "Lift the suspension in the security monitor (after fixing the password)", href: "/security" },
      });
      continue;
    }
    // Not identified: a stranger gets 403 (or silence), or a challenge it cannot answer
    const succeeded = answers.some((m) => m.status !== null && m.status >= 200 && m.status < 300);
    const retried = toUs.some((m) => m.id > request.id && credentialsOf(m) !== null);
    if (succeeded || retried || credentialsOf(request) !== null) continue;
    // A request that names a Password gateway's account is a phone, whatever address it comes from
    const claimed = partiesOf(request.text).users[1] ?? null;
    if (ctx.mappingGateways.some((g) => g.authMode === "password" && g.digestUsername === claimed)) continue;
    const sameAddress = ctx.mappingGateways.filter((g) => g.enabled && g.ipAddresses.includes(request.remoteAddress));
    const portMismatch = sameAddress.find((g) => g.authMode === "ip-port" && g.port !== request.remotePort);
    if (portMismatch) {
      add({
        cause: "wrong-address",
        title: `Port ${request.remotePort} is not the port of ${portMismatch.name}`,
        explanation: `${portMismatch.name} is an IP+Port gateway for ${request.remoteAddress}:${portMismatch.port}; this request came from port ${request.remotePort}, so it is not identified as ${portMismatch.name} (${answers[0]?.status ?? "no answer"}).`,
        fix: {
          label: `Correct the port of ${portMismatch.name} (or use IP mode)`,
          href: `/mapping-gateways/${portMismatch.id}`,
        },
      });
      continue;
    }
    if (sameAddress.length > 0) continue;
    const byName = ctx.mappingGateways.find(
      (g) => g.enabled && g.authMode !== "password" && (g.name === claimed || g.digestUsername === claimed),
    );
    if (byName) {
      add({
        cause: "wrong-address",
        title: `${request.remoteAddress} is not an address of ${byName.name}`,
        explanation: `${byName.name} is identified by address (${byName.authMode === "ip-port" ? "IP+Port" : "IP"}: ${byName.ipAddresses.join(", ") || "none"}${byName.port ? ` port ${byName.port}` : ""}); this request came from ${request.remoteAddress}:${request.remotePort}.`,
        fix: { label: `Correct the addresses of ${byName.name}`, href: `/mapping-gateways/${byName.id}` },
      });
    }
  }
  // A suspension is what the device suffers now; what led to it (a wrong password) follows
  return out.sort((a, b) => Number(b.cause === "source-suspended") - Number(a.cause === "source-suspended"));
}

/** What the call record says of a call (its carrier leg has its own Call-ID, so the record tells how it ended there). */
export type DoctorCall = { callId: string; finalCode: number; finalReason: string; routingGatewayId: string | null };

function diagnoseCallRecord(ctx: DoctorContext, call: DoctorCall): DoctorFinding | null {
  // The engine does not pass a carrier's challenge on: the caller gets 503 "Carrier Authentication Failed"
  const challengedThere = call.finalCode === 401 || call.finalCode === 407 || call.finalReason === CARRIER_AUTH_FAILED;
  if (!challengedThere) return null;
  const g = ctx.routingGateways.find((x) => x.id === call.routingGatewayId);
  if (!g) return null;
  return {
    cause: "carrier-challenge-unanswered",
    callId: call.callId,
    title: `The carrier ${g.name} asked for credentials and the call failed there`,
    explanation: `The call ended with ${call.finalCode} ${call.finalReason} from ${g.name}: ${g.hasCredentials ? "the credentials it has were refused or did not fit the carrier's realm" : "it has no username and password to answer the carrier's challenge with"}.`,
    fix: { label: `Set the credentials of ${g.name}`, href: `/routing-gateways/${g.id}` },
  };
}

/** Findings over every Call-ID in the messages, most recent first, and over the call record when there is one. */
export function diagnose(ctx: DoctorContext, messages: TraceMessage[], call?: DoctorCall): DoctorFinding[] {
  const findings = buildLadders(messages)
    .reverse()
    .flatMap((ladder) =>
      diagnoseLadder(
        ctx,
        ladder.callId,
        ladder.arrows.map((a) => a.message),
      ),
    );
  const fromRecord = call ? diagnoseCallRecord(ctx, call) : null;
  return fromRecord && !findings.some((f) => f.cause === fromRecord.cause) ? [fromRecord, ...findings] : findings;
}
