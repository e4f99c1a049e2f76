import { randomBytes } from "node:crypto";
import type { ConfigSnapshot, SnapshotRoutingGateway } from "@/lib/domain/config-snapshot";
import type { Clock, TimerHandle } from "@/lib/engine/clock";
import { answerCarrierChallenge, type AuthAnswer } from "@/lib/engine/routing/carrier-auth";
import { getContacts, getExpires } from "@/lib/engine/sip/accessors";
import { getHeader } from "@/lib/engine/sip/header-access";
import type { HeaderInit, SipRequest, SipResponse } from "@/lib/engine/sip/message";
import { buildRequest } from "@/lib/engine/sip/serializer";
import type { TransactionLayer } from "@/lib/engine/transaction/transaction-layer";
import type { Remote } from "@/lib/engine/transport/remote";

// Register-out routing gateways: the engine registers to the carrier with the gateway's account
// (RFC 3261 §10.2), answers its 401/407 once per attempt, refreshes before expiry, retries after a
// failure, and unregisters (Expires: 0) when the gateway goes away or the engine stops.

export type OutboundState = {
  gatewayId: string;
  name: string;
  state: "registering" | "registered" | "failed" | "unregistered";
  lastCode: number | null;
  lastReason: string | null;
  expiresAt: number | null;
  retryAt: number | null;
};

type Settings = { expires: number; retryDelay: number; sendUnregister: boolean };
type Entry = {
  gateway: SnapshotRoutingGateway;
  callId: string;
  fromTag: string;
  cseq: number;
  timer: TimerHandle | null;
  status: OutboundState;
};

function whyNot(answer: Extract<AuthAnswer, { ok: false }>, g: SnapshotRoutingGateway): string {
  if (answer.reason === "realm-mismatch") return `the challenge's realm is not the configured realm "${g.authRealm}"`;
  if (answer.reason === "repeated-challenge") return "the carrier refused our credentials";
  if (answer.reason === "unsupported-challenge") return "the carrier's challenge is not a Digest challenge we support";
  return "no credentials configured";
}

export class OutboundRegistrations {
  private readonly entries = new Map<string, Entry>();
  private settings: Settings = { expires: 3600, retryDelay: 60, sendUnregister: true };

  constructor(
    private readonly deps: {
      clock: Clock;
      transactions: TransactionLayer;
      contactHost: string;
      contactPort: () => number;
      log: (line: string) => void;
    },
  ) {}

  /** At start and at every reload: new gateways register, changed ones register again, removed ones unregister. */
  apply(snapshot: ConfigSnapshot): void {
    const p = snapshot.parameters;
    this.settings = {
      expires: Number(p.SS_SIP_USER_AGENT_EXPIRE),
      retryDelay: Number(p.SS_SIP_USER_AGENT_RETRY_DELAY),
      sendUnregister: Boolean(p.SS_SIP_USER_AGENT_SEND_UNREGISTER),
    };
    const wanted = new Map(
      snapshot.routingGateways
        .filter((g) => g.enabled && g.kind === "register-out" && g.address && g.authUsername && g.password)
        .map((g) => [g.id, g]),
    );
    for (const [id, entry] of this.entries) {
      if (!wanted.has(id) || wanted.get(id)!.version !== entry.gateway.version) this.end(entry);
    }
    for (const [id, gateway] of wanted) {
      if (this.entries.has(id)) continue;
      const entry: Entry = {
        gateway,
        callId: `${randomBytes(8).toString("hex")}@softswitch`,
        fromTag: randomBytes(6).toString("hex"),
        cseq: 0,
        timer: null,
        status: {
          gatewayId: id,
          name: gateway.name,
          state: "registering",
          lastCode: null,
          lastReason: null,
          expiresAt: null,
          retryAt: null,
        },
      };
      this.entries.set(id, entry);
      this.register(entry, this.settings.expires);
    }
  }

  states(): OutboundState[] {
    return [...this.entries.values()].map((e) => ({ ...e.status }));
  }

  /** SIGTERM: unregister everything (when SS_SIP_USER_AGENT_SEND_UNREGISTER is on). */
  stop(): void {
    for (const entry of [...this.entries.values()]) this.end(entry);
  }

  private end(entry: Entry): void {
    entry.timer?.cancel();
    this.entries.delete(entry.gateway.id);
    if (this.settings.sendUnregister && entry.status.state === "registered") this.send(entry, 0, null, new Set());
  }

  private register(entry: Entry, expires: number): void {
    entry.status.state = "registering";
    this.send(entry, expires, null, new Set());
  }

  private request(entry: Entry, expires: number, auth: HeaderInit | null): SipRequest {
    const g = entry.gateway;
    const domain = g.authRealm ?? g.fromDomain ?? g.address!;
    const aor = `sip:${g.authUsername}@${domain}`;
    entry.cseq++;
    return buildRequest({
      method: "REGISTER",
      uri: `sip:${g.address}:${g.port}${g.transport === "tcp" ? ";transport=tcp" : ""}`,
      headers: [
        ["Via", `SIP/2.0/${g.transport.toUpperCase()} ${this.deps.contactHost}:${this.deps.contactPort()};rport`],
        ["Max-Forwards", "70"],
        ["From", `<${aor}>;tag=${entry.fromTag}`],
        ["To", `<${aor}>`],
        ["Call-ID", entry.callId],
        ["CSeq", `${entry.cseq} REGISTER`],
        [
          "Contact",
          `<sip:${g.authUsername}@${this.deps.contactHost}:${this.deps.contactPort()}${g.transport === "tcp" ? ";transport=tcp" : ""}>`,
        ],
        ["Expires", String(expires)],
        ["User-Agent", "Softswitch Console engine"],
        ...(auth ? [auth] : []),
      ],
    });
  }

  /** `answered`: the realms this attempt has answered (a second challenge for one fails it). */
  private send(entry: Entry, expires: number, auth: HeaderInit | null, answered: Set<string>): void {
    const g = entry.gateway;
    const to: Remote = { transport: g.transport, address: g.address!, port: g.port };
    const request = this.request(entry, expires, auth);
    this.deps.transactions.sendRequest(request, to, {
      onResponse: (response) => {
        if (response.status < 200 || expires === 0) return;
        if (response.status === 401 || response.status === 407) {
          const answer = answerCarrierChallenge(response, g, request, answered);
          if (answer.ok) return this.send(entry, expires, [answer.header, answer.value], answered);
          return this.fail(entry, response.status, whyNot(answer, g));
        }
        if (response.status >= 200 && response.status < 300) return this.registered(entry, response, expires);
        // RFC 3261 §20.33: a Retry-After from the registrar is honoured over our own delay.
        this.fail(
          entry,
          response.status,
          response.reason,
          Number(getHeader(response, "retry-after")?.split(/[;( ]/)[0]) || undefined,
        );
      },
      onTimeout: () => {
        if (expires !== 0) this.fail(entry, 408, "no answer from the carrier");
      },
    });
  }

  private registered(entry: Entry, response: SipResponse, asked: number): void {
    // RFC 3261 §10.2.4: the 200 lists every binding of the AOR; ours is the one with our address.
    const contacts = getContacts(response);
    const mine =
      contacts && !contacts.wildcard
        ? contacts.contacts.find(
            (c) =>
              c.uri.kind === "sip" && c.uri.host === this.deps.contactHost && c.uri.port === this.deps.contactPort(),
          )
        : undefined;
    const granted = mine?.expires ?? getExpires(response) ?? asked;
    const now = this.deps.clock.now();
    Object.assign(entry.status, {
      state: "registered",
      lastCode: response.status,
      lastReason: response.reason,
      expiresAt: now + granted * 1000,
      retryAt: null,
    });
    this.deps.log(`register-out gateway="${entry.gateway.name}" registered expires=${granted}`);
    // Refresh ahead of expiry: at 80% of the granted time, never later than 30 s before it ends.
    const refreshIn = Math.max(1, Math.min(granted * 0.8, granted - 30)) * 1000;
    entry.timer = this.deps.clock.setTimer(refreshIn, () => this.register(entry, this.settings.expires));
  }

  private fail(entry: Entry, code: number, reason: string, retryAfter?: number): void {
    const delay = retryAfter ?? this.settings.retryDelay;
    Object.assign(entry.status, {
      state: "failed",
      lastCode: code,
      lastReason: reason,
      expiresAt: null,
      retryAt: this.deps.clock.now() + delay * 1000,
    });
    this.deps.log(
      `register-out gateway="${entry.gateway.name}" failed code=${code} reason="${reason}" retry-in=${delay}s`,
    );
    entry.timer = this.deps.clock.setTimer(delay * 1000, () => this.register(entry, this.settings.expires));
  }
}
