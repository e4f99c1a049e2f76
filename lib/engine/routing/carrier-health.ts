import { randomBytes } from "node:crypto";
import type { ConfigSnapshot, SnapshotRoutingGateway } from "@/lib/domain/config-snapshot";
import type { Clock, TimerHandle } from "@/lib/engine/clock";
import { buildRequest } from "@/lib/engine/sip/serializer";
import type { TransactionLayer } from "@/lib/engine/transaction/transaction-layer";

// Carriers' health: an OPTIONS probe (RFC 3261 §11) to every enabled static routing gateway at a
// fixed interval. Any response means the carrier is up (even 404 or 405: something answered);
// a timeout (Timer F, 32 s) means it is unreachable.

export type CarrierHealth = { gatewayId: string; name: string; state: "unknown" | "reachable" | "unreachable"; lastCode: number | null; lastReason: string | null; checkedAt: number | null };

export class CarrierHealthProbe {
  private readonly health = new Map<string, CarrierHealth>();
  private gateways: SnapshotRoutingGateway[] = [];
  private timer: TimerHandle | null = null;
  private cseq = 0;

  /** `intervalMs` 0: probing is off (carriers whose contract forbids OPTIONS, tests with scripted carriers). */
  constructor(private readonly deps: { clock: Clock; transactions: TransactionLayer; contactHost: string; contactPort: () => number; intervalMs: number }) {}

  apply(snapshot: ConfigSnapshot): void {
    if (this.deps.intervalMs === 0) return;
    this.gateways = snapshot.routingGateways.filter((g) => g.enabled && g.kind === "static" && g.address);
    const ids = new Set(this.gateways.map((g) => g.id));
    for (const id of this.health.keys()) if (!ids.has(id)) this.health.delete(id);
    for (const g of this.gateways) {
      if (this.health.has(g.id)) continue;
      this.health.set(g.id, { gatewayId: g.id, name: g.name, state: "unknown", lastCode: null, lastReason: null, checkedAt: null });
      // A carrier added by a reload is probed at once, not at the next round.
      if (this.timer) this.probe(g);
    }
    if (!this.timer) this.probeAll();
  }

  states(): CarrierHealth[] {
    return [...this.health.values()].map((h) => ({ ...h }));
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  private probeAll(): void {
    for (const g of this.gateways) this.probe(g);
    this.timer = this.deps.clock.setTimer(this.deps.intervalMs, () => this.probeAll());
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
    this.deps.transactions.sendRequest(request, { transport: g.transport, address: g.address!, port: g.port }, {
      onResponse: (response) => {
        if (response.status >= 200) record("reachable", response.status, response.reason);
      },
      onTimeout: () => record("unreachable", null, "no answer to OPTIONS"),
    });
  }
}
