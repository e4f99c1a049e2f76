import { describe, expect, it } from "vitest";
import type { ConfigSnapshot, SnapshotRoutingGateway } from "@/lib/domain/config-snapshot";
import { defaultParameterValues } from "@/lib/domain/parameter-catalog";
import { parseCredentials } from "@/lib/engine/auth/credentials";
import { computeHa1, computeHa2, computeResponse } from "@/lib/engine/auth/digest";
import { OutboundRegistrations } from "@/lib/engine/routing/register-out";
import { getHeader } from "@/lib/engine/sip/header-access";
import type { SipRequest, SipResponse } from "@/lib/engine/sip/message";
import { serializeMessage } from "@/lib/engine/sip/serializer";
import { createHarness, parse, responseTo } from "@/lib/engine/transaction/test-harness";

const carrier: SnapshotRoutingGateway = {
  id: "rg-1",
  version: 1,
  name: "carrier-a",
  enabled: true,
  kind: "register-out",
  address: "192.0.2.50",
  port: 5060,
  transport: "udp",
  prefixes: [],
  prefixMode: "stop",
  priority: 0,
  capacity: 0,
  group: "default",
  authUsername: "acct7",
  password: "s3cret",
  authRealm: null,
  fromUser: null,
  fromDomain: null,
  callerRewrite: { strip: 0, prefix: "" },
  calleeRewrite: { strip: 0, prefix: "" },
  failoverCodes: [],
  failoverOnAuthFailure: true,
};

function snapshot(gateways: SnapshotRoutingGateway[], parameters: Record<string, unknown> = {}): ConfigSnapshot {
  return {
    version: 1,
    hash: "0".repeat(64),
    createdAt: "",
    parameters: { ...defaultParameterValues(), ...parameters } as ConfigSnapshot["parameters"],
    mappingGateways: [],
    routingGateways: gateways,
  };
}

function setup() {
  const h = createHarness();
  const lines: string[] = [];
  const out = new OutboundRegistrations({
    clock: h.clock,
    transactions: h.layer,
    contactHost: "198.51.100.1",
    contactPort: () => 5060,
    log: (l) => lines.push(l),
  });
  // Each REGISTER once: UDP retransmissions (Timer E) of the same CSeq are not new requests.
  const registers = () => {
    const seen = new Map<string, SipRequest>();
    for (const { message: m } of h.sent)
      if (m.kind === "request" && m.method === "REGISTER" && !seen.has(getHeader(m, "cseq")!))
        seen.set(getHeader(m, "cseq")!, m);
    return [...seen.values()];
  };
  const reply = (to: SipRequest, status: number, reason: string, extra: string[] = []) => {
    const base = serializeMessage(responseTo(to, status, reason))
      .toString("latin1")
      .replace("Content-Length: 0", [...extra, "Content-Length: 0"].join("\r\n"));
    h.layer.receive(parse(base) as SipResponse, { transport: "udp", address: "192.0.2.50", port: 5060 });
  };
  return { h, out, lines, registers, reply };
}

const challenge = 'WWW-Authenticate: Digest realm="carrier.example", nonce="n0nce", qop="auth"';

describe("OutboundRegistrations", () => {
  it("registers to the carrier, answers its 401 once with a right digest, and refreshes before expiry", () => {
    const { h, out, registers, reply } = setup();
    out.apply(snapshot([carrier]));
    expect(registers()).toHaveLength(1);
    expect(h.sent[0].to).toEqual({ transport: "udp", address: "192.0.2.50", port: 5060 });
    reply(registers()[0], 401, "Unauthorized", [challenge]);
    const second = registers()[1];
    expect(getHeader(second, "cseq")).toBe("2 REGISTER");
    const creds = parseCredentials(getHeader(second, "authorization")!);
    expect(creds.ok).toBe(true);
    if (!creds.ok) return;
    const c = creds.credentials;
    const expected = computeResponse({
      algorithm: "MD5",
      ha1: computeHa1("MD5", "acct7", "carrier.example", "s3cret"),
      nonce: "n0nce",
      ha2: computeHa2("MD5", "REGISTER", second.uri, "auth"),
      qop: "auth",
      nc: c.nc!,
      cnonce: c.cnonce!,
    });
    expect(c.response).toBe(expected);
    reply(second, 200, "OK", ["Contact: <sip:acct7@198.51.100.1:5060>;expires=120"]);
    expect(out.states()[0]).toMatchObject({ state: "registered", lastCode: 200 });
    // Refresh at 80% of the granted time but no later than 30 s before it ends: 90 s of 120.
    h.clock.advance(89_999);
    expect(registers()).toHaveLength(2);
    h.clock.advance(1);
    expect(registers()).toHaveLength(3);
  });

  it("a second challenge fails the attempt (no loop) and it retries after SS_SIP_USER_AGENT_RETRY_DELAY", () => {
    const { h, out, registers, reply, lines } = setup();
    out.apply(snapshot([carrier], { SS_SIP_USER_AGENT_RETRY_DELAY: 30 }));
    reply(registers()[0], 401, "Unauthorized", [challenge]);
    reply(registers()[1], 401, "Unauthorized", [challenge]);
    expect(registers()).toHaveLength(2);
    expect(out.states()[0]).toMatchObject({ state: "failed", lastCode: 401 });
    expect(lines.at(-1)).toContain('register-out gateway="carrier-a" failed code=401');
    h.clock.advance(30_000);
    expect(registers()).toHaveLength(3);
  });

  it("sends no credentials to a realm other than the configured one", () => {
    const { out, registers, reply } = setup();
    out.apply(snapshot([{ ...carrier, authRealm: "other.example" }]));
    reply(registers()[0], 401, "Unauthorized", [challenge]);
    expect(registers()).toHaveLength(1);
    expect(out.states()[0].lastReason).toBe('the challenge\'s realm is not the configured realm "other.example"');
  });

  it("honours Retry-After on a failure", () => {
    const { h, out, registers, reply } = setup();
    out.apply(snapshot([carrier]));
    reply(registers()[0], 503, "Service Unavailable", ["Retry-After: 5"]);
    h.clock.advance(4_999);
    expect(registers()).toHaveLength(1);
    h.clock.advance(1);
    expect(registers()).toHaveLength(2);
  });

  it("unregisters (Expires: 0) when the gateway is removed, unless SS_SIP_USER_AGENT_SEND_UNREGISTER is off", () => {
    for (const send of [true, false]) {
      const { out, registers, reply } = setup();
      out.apply(snapshot([carrier], { SS_SIP_USER_AGENT_SEND_UNREGISTER: send }));
      reply(registers()[0], 200, "OK", ["Expires: 300"]);
      out.apply(snapshot([], { SS_SIP_USER_AGENT_SEND_UNREGISTER: send }));
      const last = registers().at(-1)!;
      if (send) expect(getHeader(last, "expires")).toBe("0");
      else expect(registers()).toHaveLength(1);
      expect(out.states()).toEqual([]);
    }
  });
});
