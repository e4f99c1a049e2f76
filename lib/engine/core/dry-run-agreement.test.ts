import { describe, expect, it } from "vitest";
import type { ConfigSnapshot, SnapshotMappingGateway } from "@/lib/domain/config-snapshot";
import { defaultParameterValues, type ParameterValue } from "@/lib/domain/parameter-catalog";
import { buildCredentials } from "@/lib/engine/auth/client-credentials";
import { computeHa1 } from "@/lib/engine/auth/digest";
import { NonceService } from "@/lib/engine/auth/nonces";
import { FakeClock } from "@/lib/engine/clock";
import { AccessControl, type Access } from "@/lib/engine/core/access-control";
import { dryRun } from "@/lib/engine/core/dry-run";
import { buildRuntime } from "@/lib/engine/core/runtime";
import { mappingGateway, routingGateway } from "@/lib/engine/routing/test-gateways";
import type { SipRequest } from "@/lib/engine/sip/message";
import { parseDatagram } from "@/lib/engine/sip/parser";

// The dry run and the engine's own AccessControl, given the same configuration and the same request,
// identify the same gateway and send the same challenge or refusal.

const REALM = "softswitch.local";
const RURI = "sip:4412345@softswitch.local";
const PASSWORD = "phone-secret";

function passwordGateway(
  id: string,
  username: string,
  over: Partial<SnapshotMappingGateway> = {},
): SnapshotMappingGateway {
  return mappingGateway({
    id,
    name: id,
    authMode: "password",
    ipAddresses: [],
    digestUsername: username,
    ha1Md5: computeHa1("MD5", username, REALM, PASSWORD),
    ha1Sha256: computeHa1("SHA-256", username, REALM, PASSWORD),
    ...over,
  });
}

function snapshot(mapping: SnapshotMappingGateway[], parameters: Record<string, ParameterValue> = {}): ConfigSnapshot {
  return {
    version: 1,
    hash: "0".repeat(64),
    createdAt: new Date(0).toISOString(),
    parameters: { ...defaultParameterValues(), SS_SIP_DOMAIN: REALM, ...parameters },
    mappingGateways: mapping,
    routingGateways: [routingGateway("carrier")],
  };
}

function sipRequest(method: string, authorization?: string): SipRequest {
  const lines = [
    `${method} ${RURI} SIP/2.0`,
    "Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK1",
    "From: <sip:1000@softswitch.local>;tag=1",
    `To: <${RURI}>`,
    "Call-ID: c1@192.0.2.4",
    `CSeq: 1 ${method}`,
    "Max-Forwards: 70",
    ...(authorization ? [`Authorization: ${authorization}`] : []),
    "Content-Length: 0",
    "",
    "",
  ];
  const parsed = parseDatagram(Buffer.from(lines.join("\r\n"), "utf8"));
  if (!parsed.ok || parsed.message.kind !== "request") throw new Error("test request did not parse");
  return parsed.message;
}

/** The engine's verdict: a credential-less request, then (with `username`) the right answer to its challenge. */
function engineVerdict(
  config: ConfigSnapshot,
  method: "INVITE" | "REGISTER",
  address: string,
  port: number,
  username?: string,
): Access {
  const clock = new FakeClock();
  const access = AccessControl.create(clock, new NonceService(clock), {
    onAuthFailure: () => undefined,
    onSuspended: () => undefined,
    onChallenge: () => undefined,
    onDigestAccepted: () => undefined,
  });
  const runtime = buildRuntime(config);
  const from = { transport: "udp" as const, address, port };
  const first = access.check(sipRequest(method), from, runtime.index, runtime.access);
  if (username === undefined || first.kind !== "respond" || (first.status !== 401 && first.status !== 407))
    return first;
  const nonce = /nonce="([^"]+)"/.exec(String(first.headers[0][1]))![1];
  return access.check(
    sipRequest(method, buildCredentials({ username, password: PASSWORD, realm: REALM, nonce, method, uri: RURI })),
    from,
    runtime.index,
    runtime.access,
  );
}

/** The dry run's verdict in the same terms. */
function simulated(
  config: ConfigSnapshot,
  method: "INVITE" | "REGISTER",
  address: string,
  port: number,
  username?: string,
) {
  const result = dryRun(config, {
    sourceAddress: address,
    sourcePort: port,
    transport: "udp",
    method,
    caller: "1000",
    callee: "4412345",
    digestUsername: username,
  });
  if (result.identification.gateway)
    return {
      kind: result.identification.by === "carrier" ? "carrier" : "identified",
      gateway: result.identification.gateway.id,
      by: result.identification.by,
    };
  if (result.outcome.kind === "silence") return { kind: "silence" };
  return { kind: "respond", status: result.outcome.status };
}

function asComparable(a: Access) {
  if (a.kind === "identified") return { kind: a.kind, gateway: a.gateway.id, by: a.by };
  if (a.kind === "carrier") return { kind: a.kind, gateway: a.gateway.id, by: "carrier" };
  if (a.kind === "respond") return { kind: a.kind, status: a.status };
  return { kind: a.kind };
}

const ip = mappingGateway({ id: "ip", authMode: "ip", ipAddresses: ["192.0.2.10"] });
const ipPort = mappingGateway({ id: "ip-port", authMode: "ip-port", ipAddresses: ["192.0.2.10"], port: 5062 });
const phone = passwordGateway("phone", "phone100");
const scenarios: Array<{ name: string; config: ConfigSnapshot; address: string; port: number; username?: string }> = [
  { name: "IP+Port gateway", config: snapshot([ip, ipPort, phone]), address: "192.0.2.10", port: 5062 },
  { name: "IP gateway on another port", config: snapshot([ip, ipPort, phone]), address: "192.0.2.10", port: 5060 },
  { name: "Password gateway, no username", config: snapshot([ip, phone]), address: "203.0.113.9", port: 5060 },
  {
    name: "Password gateway by digest",
    config: snapshot([ip, phone]),
    address: "203.0.113.9",
    port: 5060,
    username: "phone100",
  },
  {
    name: "unknown digest username",
    config: snapshot([ip, phone]),
    address: "203.0.113.9",
    port: 5060,
    username: "nobody",
  },
  {
    name: "disabled Password gateway",
    config: snapshot([ip, phone, passwordGateway("old", "old100", { enabled: false })]),
    address: "203.0.113.9",
    port: 5060,
    username: "old100",
  },
  { name: "stranger, no Password gateway", config: snapshot([ip]), address: "203.0.113.9", port: 5060 },
  {
    name: "stranger, SS_REPLY_UNAUTHORIZED off",
    config: snapshot([ip], { SS_REPLY_UNAUTHORIZED: false }),
    address: "203.0.113.9",
    port: 5060,
  },
];

describe("the dry run agrees with the engine's AccessControl", () => {
  for (const s of scenarios) {
    for (const mode of [1, 2, 3]) {
      for (const method of ["INVITE", "REGISTER"] as const) {
        it(`${s.name}, SS_AUTHCHALLENGEMODE ${mode}, ${method}`, () => {
          const config = { ...s.config, parameters: { ...s.config.parameters, SS_AUTHCHALLENGEMODE: mode } };
          const engine = asComparable(engineVerdict(config, method, s.address, s.port, s.username));
          expect(simulated(config, method, s.address, s.port, s.username)).toEqual(engine);
        });
      }
    }
  }
});
