import { randomBytes } from "node:crypto";
import type { ConfigSnapshot, SnapshotRoutingGateway } from "@/lib/domain/config-snapshot";
import type { Clock, TimerHandle } from "@/lib/engine/clock";
import { buildRequest } from "@/lib/engine/sip/serializer";
import type { TransactionLayer } from "@/lib/engine/transaction/transaction-layer";

// Carriers' health: an OPTIONS probe (RFC 3261 §11) to every enabled static routing gateway at a
// fixed interval. Any response means the carrier is up (even 404 or 405: something answered);
// a timeout (Timer F, 32 s) means it is unreachable.

export type CarrierHealth = {
  gatewayId: string;
  name: string;
  state: "unknown" | "reachable" | "unreachable";
  lastCode: number | null;
  lastReason: string | null;
  checkedAt: number | null;
};

/**
 * Probes go out in batches, a few milliseconds apart: 10,000 carriers probed in one go hold up
 * SIP traffic, and a reload that adds them, for a quarter of a second (issue 7).
 */
const BATCH = 250;
const BATCH_GAP_MS = 5;

export class CarrierHealthProbe {
  private readonly health = new Map<string, CarrierHealth>();
  private gateways = new Map<string, SnapshotRoutingGateway>();
  /** Ids of carriers due a probe, oldest first. */
  private readonly due = new Set<string>();
  private timer: TimerHandle | null = null;
  private batchTimer: TimerHandle | null = null;
  private cseq = 0;

  /** `intervalMs` 0: probing is off (carriers whose contract forbids OPTIONS, tests with scripted carriers). */
  constructor(
    private readonly deps: {
      clock: Clock;
      transactions: TransactionLayer;
      contactHost: string;
      contactPort: () => number;
      intervalMs: number;
    },
  ) {}

  apply(snapshot: ConfigSnapshot): void {
    if (this.deps.intervalMs === 0) return;
    this.gateways = new Map(
      snapshot.routingGateways.filter((g) => g.enabled && g.kind === "static" && g.address).map((g) => [g.id, g]),
    );
    for (const id of this.health.keys()) if (!this.gateways.has(id)) this.health.delete(id);
    for (const g of this.gateways.values()) {
      if (this.health.has(g.id)) continue;
      this.health.set(g.id, {
        gatewayId: g.id,
        name: g.name,
        state: "unknown",
        lastCode: null,
        lastReason: null,
        checkedAt: null,
      });
      // A carrier added by a reload is probed at once, not at the next round.
      if (this.timer) this.due.add(g.id);
    }
    if (!this.timer) this.probeAll();
    else this.probeDue();
  }

  states(): CarrierHealth[] {
    return [...this.health.values()].map((h) => ({ ...h }));
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
    this.batchTimer?.cancel();
    this.batchTimer = null;
    this.due.clear();
  }

  private probeAll(): void {
    for (const id of this.gateways.keys()) this.due.add(id);
    this.probeDue();
    this.timer = this.deps.clock.setTimer(this.deps.intervalMs, () => this.probeAll());
  }

  /** One batch now (the carriers of the configuration in force), the next one shortly. */
  private probeDue(): void {
    if (this.batchTimer) return;
    let sent = 0;
    for (const id of this.due) {
      if (sent === BATCH) break;
      this.due.delete(id);
      const g = this.gateways.get(id);
      if (!g) continue;
      this.probe(g);
      sent++;
    }
    if (this.due.size === 0) return;
    this.batchTimer = this.deps.clock.setTimer(BATCH_GAP_MS, () => {
      this.batchTimer = null;
      this.probeDue();
    });
  }

  private probe(g: SnapshotRoutingGateway): void {
    const host = `${this.deps.contactHost}:${this.deps.contactPort()}`;
    const request = buildRequest({
      method: "OPTIONS",
      uri: `sip:${g.address}:${g.port}${g.transport === "tcp" ? ";transport=tcp" : ""}`,
      headers: [
        ["Via", `SIP/2.0/${g.transport.toUpperCase()} ${host};rport`],
        ["Max-Forwards", "70"],
        ["From", `<sip:probe@${host}>;tag=${randomBytes(6).toString("hex")}`],
        ["To", `<sip:${g.address}:${g.port}>`],
        ["Call-ID", `${randomBytes(8).toString("hex")}@softswitch`],
        ["CSeq", `${++this.cseq} OPTIONS`],
        ["Accept", "application/sdp"],
      ],
    });
    const record = (state: CarrierHealth["state"], code: number | null, reason: string | null) => {
      const entry = this.health.get(g.id);
      if (entry) Object.assign(entry, { state, lastCode: code, lastReason: reason, checkedAt: this.deps.clock.now() });
    };
    this.deps.transactions.sendRequest(
      request,
      { transport: g.transport, address: g.address!, port: g.port },
      {
        onResponse: (response) => {
          if (response.status >= 200) record("reachable", response.status, response.reason);
        },
        onTimeout: () => record("unreachable", null, "no answer to OPTIONS"),
      },
    );
  }
}
