import { describe, expect, it, vi } from "vitest";

// The console's stored view of a snapshot, read back after the catalog or the gateway fields grew.
vi.mock("@/lib/server/db", () => ({ db: {} }));

import { sourceOf } from "@/lib/server/config-snapshots";
import { diffConfig } from "@/lib/domain/config-source";
import { defaultParameterValues } from "@/lib/domain/parameter-catalog";

const carrier = {
  id: "r1",
  version: 2,
  name: "carrier",
  enabled: true,
  kind: "static",
  address: "192.0.2.1",
  port: 5060,
  transport: "udp",
  prefixes: ["44"],
  prefixMode: "stop",
  priority: 0,
  capacity: 0,
  group: "default",
  authUsername: null,
  authRealm: null,
  fromUser: null,
  fromDomain: null,
  callerRewrite: { strip: 0, prefix: "" },
  calleeRewrite: { strip: 0, prefix: "" },
  failoverCodes: [503],
  memo: "",
  passwordCipher: null,
};

describe("sourceOf", () => {
  it("gives a routing gateway stored before failoverOnAuthFailure existed the value its migration gave", () => {
    const stored = { parameters: defaultParameterValues(), mappingGateways: [], routingGateways: [carrier] };
    const source = sourceOf({ sourceJson: JSON.stringify(stored) });
    expect(source.routingGateways[0].failoverOnAuthFailure).toBe(true);
    // So a console just upgraded shows no pending change for it.
    const saved = { ...source, routingGateways: [{ ...source.routingGateways[0], failoverOnAuthFailure: true }] };
    expect(diffConfig(source, saved)).toEqual([]);
  });

  it("keeps a stored failoverOnAuthFailure, and fills parameters added to the catalog since", () => {
    const { SS_SIP_MIN_SE: _added, ...older } = defaultParameterValues();
    const stored = {
      parameters: older,
      mappingGateways: [],
      routingGateways: [{ ...carrier, failoverOnAuthFailure: false }],
    };
    const source = sourceOf({ sourceJson: JSON.stringify(stored) });
    expect(source.routingGateways[0].failoverOnAuthFailure).toBe(false);
    expect(source.parameters.SS_SIP_MIN_SE).toBe(90);
  });
});
