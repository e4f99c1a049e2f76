import { describe, expect, it } from "vitest";
import type { ConfigSnapshot, SnapshotRoutingGateway } from "@/lib/domain/config-snapshot";
import { defaultParameterValues } from "@/lib/domain/parameter-catalog";
import { CarrierHealthProbe } from "@/lib/engine/routing/carrier-health";
import type { SipRequest } from "@/lib/engine/sip/message";
import { createHarness, responseTo } from "@/lib/engine/transaction/test-harness";

const gateway = (id: string, kind: SnapshotRoutingGateway["kind"] = "static"): SnapshotRoutingGateway => ({
  id,
  version: 1,
  name: id,
  enabled: true,
  kind,
  address: "192.0.2.60",
  port: 5060,
  transport: "udp",
  prefixes: [],
  prefixMode: "stop",
  priority: 0,
  capacity: 0,
  group: "default",
  authUsername: null,
  password: null,
  authRealm: null,
  fromUser: null,
  fromDomain: null,
  callerRewrite: { strip: 0, prefix: "" },
  calleeRewrite: { strip: 0, prefix: "" },
  failoverCodes: [],
  failoverOnAuthFailure: true,
});
const snapshot = (routingGateways: SnapshotRoutingGateway[]): ConfigSnapshot => ({
  version: 1,
  hash: "",
  createdAt: "",
  parameters: defaultParameterValues() as ConfigSnapshot["parameters"],
  mappingGateways: [],
  routingGateways,
});

describe("CarrierHealthProbe", () => {
  it("probes static carriers with OPTIONS: an answer is reachable, silence unreachable", () => {
    const h = createHarness();
    const probe = new CarrierHealthProbe({
      clock: h.clock,
      transactions: h.layer,
      contactHost: "198.51.100.1",
      contactPort: () => 5060,
      intervalMs: 60_000,
    });
    probe.apply(snapshot([gateway("up"), gateway("down"), gateway("reg", "register-out")]));
    const options = h.sent.map((s) => s.message as SipRequest).filter((m) => m.method === "OPTIONS");
    expect(options).toHaveLength(2);
    h.layer.receive(responseTo(options[0], 405, "Method Not Allowed"), {
      transport: "udp",
      address: "192.0.2.60",
      port: 5060,
    });
    h.clock.advance(32_000); // Timer F for the one nobody answered
    expect(probe.states().map((s) => [s.name, s.state, s.lastCode])).toEqual([
      ["up", "reachable", 405],
      ["down", "unreachable", null],
    ]);
    probe.stop();
  });

  it("probes thousands of carriers in batches a few milliseconds apart, only those still configured", () => {
    const h = createHarness();
    const probe = new CarrierHealthProbe({
      clock: h.clock,
      transactions: h.layer,
      contactHost: "198.51.100.1",
      contactPort: () => 5060,
      intervalMs: 60_000,
    });
    const optionsSent = () => h.sent.filter((s) => (s.message as SipRequest).method === "OPTIONS").length;
    probe.apply(snapshot([gateway("first")]));
    expect(optionsSent()).toBe(1);
    // A reload adds 600 carriers, then one drops 100 of them before their turn.
    const many = Array.from({ length: 600 }, (_, i) => gateway(`c${i}`));
    probe.apply(snapshot([gateway("first"), ...many]));
    expect(optionsSent()).toBe(251);
    probe.apply(snapshot([gateway("first"), ...many.slice(0, 500)]));
    h.clock.advance(5);
    expect(optionsSent()).toBe(501);
    h.clock.advance(5);
    expect(optionsSent()).toBe(501);
    expect(probe.states()).toHaveLength(501);
    probe.stop();
  });
});
