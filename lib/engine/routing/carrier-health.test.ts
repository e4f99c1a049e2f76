import { describe, expect, it } from "vitest";
import type { ConfigSnapshot, SnapshotRoutingGateway } from "@/lib/domain/config-snapshot";
import { defaultParameterValues } from "@/lib/domain/parameter-catalog";
import { CarrierHealthProbe } from "@/lib/engine/routing/carrier-health";
import type { SipRequest } from "@/lib/engine/sip/message";
import { createHarness, responseTo } from "@/lib/engine/transaction/test-harness";

const gateway = (id: string, kind: SnapshotRoutingGateway["kind"] = "static"): SnapshotRoutingGateway => ({
  id, version: 1, name: id, enabled: true, kind, address: "192.0.2.60", port: 5060, transport: "udp", prefixes: [], prefixMode: "stop", priority: 0, capacity: 0,
  group: "default", authUsername: null, password: null, authRealm: null, fromUser: null, fromDomain: null,
  callerRewrite: { strip: 0, prefix: "" }, calleeRewrite: { strip: 0, prefix: "" }, failoverCodes: [],
});
const snapshot = (routingGateways: SnapshotRoutingGateway[]): ConfigSnapshot =>
  ({ version: 1, hash: "", createdAt: "", parameters: defaultParameterValues() as ConfigSnapshot["parameters"], mappingGateways: [], routingGateways });

describe("CarrierHealthProbe", () => {
  it("probes static carriers with OPTIONS: an answer is reachable, silence unreachable", () => {
    const h = createHarness();
    const probe = new CarrierHealthProbe({ clock: h.clock, transactions: h.layer, contactHost: "198.51.100.1", contactPort: () => 5060, intervalMs: 60_000 });
    probe.apply(snapshot([gateway("up"), gateway("down"), gateway("reg", "register-out")]));
    const options = h.sent.map((s) => s.message as SipRequest).filter((m) => m.method === "OPTIONS");
    expect(options).toHaveLength(2);
    h.layer.receive(responseTo(options[0], 405, "Method Not Allowed"), { transport: "udp", address: "192.0.2.60", port: 5060 });
    h.clock.advance(32_000); // Timer F for the one nobody answered
    expect(probe.states().map((s) => [s.name, s.state, s.lastCode])).toEqual([["up", "reachable", 405], ["down", "unreachable", null]]);
    probe.stop();
  });
});
