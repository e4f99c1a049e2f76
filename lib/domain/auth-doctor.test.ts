import { describe, expect, it } from "vitest";
import { diagnose, type DoctorContext } from "@/lib/domain/auth-doctor";
import type { TraceMessage } from "@/lib/domain/trace";

const ctx: DoctorContext = {
  realm: "softswitch.local",
  challengeMode: 2,
  mappingGateways: [
    {
      id: "g1",
      name: "office-phone",
      authMode: "password",
      ipAddresses: [],
      port: null,
      digestUsername: "alice",
      enabled: true,
    },
    {
      id: "g2",
      name: "pbx",
      authMode: "ip-port",
      ipAddresses: ["192.0.2.10"],
      port: 5070,
      digestUsername: null,
      enabled: true,
    },
  ],
  routingGateways: [{ id: "r1", name: "carrier-a", address: "198.51.100.1", port: 5060, hasCredentials: false }],
  suspendedSources: [],
};

let id = 0;
type Peer = { address?: string; port?: number };
function request(method: string, opts: Peer & { out?: boolean; auth?: string; from?: string } = {}): TraceMessage {
  const header = opts.auth ? `Authorization: Digest ${opts.auth}, uri="sip:x", response="***"\r\n` : "";
  const text = `${method} sip:x SIP/2.0\r\nFrom: <sip:${opts.from ?? "alice"}@x>;tag=1\r\nTo: <sip:100@x>\r\nCall-ID: c1\r\nCSeq: ${++id} ${method}\r\n${header}Content-Length: 0\r\n\r\n`;
  return {
    id,
    seq: id,
    at: new Date(id * 1000).toISOString(),
    direction: opts.out ? "out" : "in",
    transport: "udp",
    remoteAddress: opts.address ?? "203.0.113.7",
    remotePort: opts.port ?? 5060,
    method,
    status: null,
    cseqMethod: method,
    callId: "c1",
    text,
  };
}
function response(
  status: number,
  method: string,
  opts: Peer & { incoming?: boolean; challenge?: string } = {},
): TraceMessage {
  const header = opts.challenge ? `${status === 401 ? "WWW" : "Proxy"}-Authenticate: Digest ${opts.challenge}\r\n` : "";
  const text = `SIP/2.0 ${status} X\r\nCall-ID: c1\r\nCSeq: 1 ${method}\r\n${header}Content-Length: 0\r\n\r\n`;
  id++;
  return {
    id,
    seq: id,
    at: new Date(id * 1000).toISOString(),
    direction: opts.incoming ? "in" : "out",
    transport: "udp",
    remoteAddress: opts.address ?? "203.0.113.7",
    remotePort: opts.port ?? 5060,
    method: null,
    status,
    cseqMethod: method,
    callId: "c1",
    text,
  };
}
const causes = (messages: TraceMessage[], context = ctx) => diagnose(context, messages).map((f) => f.cause);
const creds = (user: string, realm = "softswitch.local", nonce = "n1") =>
  `username="${user}", realm="${realm}", nonce="${nonce}", algorithm=MD5`;

describe("diagnose", () => {
  it("an endpoint that ignores 407 on REGISTER: suggests mode 1 or 3", () => {
    const findings = diagnose(ctx, [
      request("REGISTER"),
      response(407, "REGISTER", { challenge: 'realm="softswitch.local", nonce="n1"' }),
    ]);
    expect(findings.map((f) => f.cause)).toEqual(["ignores-407-on-register"]);
    expect(findings[0].fix.href).toBe("/parameters?search=SS_AUTHCHALLENGEMODE");
  });

  it("a carrier challenge not answered: names the carrier without credentials", () => {
    const findings = diagnose(ctx, [
      request("INVITE", { out: true, address: "198.51.100.1" }),
      response(407, "INVITE", { incoming: true, address: "198.51.100.1" }),
      request("ACK", { out: true, address: "198.51.100.1" }),
    ]);
    expect(findings.map((f) => f.cause)).toEqual(["carrier-challenge-unanswered"]);
    expect(findings[0].fix.href).toBe("/routing-gateways/r1");
    expect(findings[0].explanation).toContain("carrier-a has no username and password");
  });

  it("a call record that ended with the carrier's 407: the carrier leg's challenge went unanswered", () => {
    const findings = diagnose(ctx, [], {
      callId: "c9",
      finalCode: 503,
      finalReason: "Carrier Authentication Failed",
      routingGatewayId: "r1",
    });
    expect(findings.map((f) => [f.cause, f.fix.href])).toEqual([
      ["carrier-challenge-unanswered", "/routing-gateways/r1"],
    ]);
    expect(
      diagnose(ctx, [], { callId: "c9", finalCode: 486, finalReason: "Busy Here", routingGatewayId: "r1" }),
    ).toEqual([]);
  });

  it("a wrong password: answers with a current nonce are challenged again", () => {
    const ladder = [
      request("REGISTER"),
      response(401, "REGISTER", { challenge: 'nonce="n1"' }),
      request("REGISTER", { auth: creds("alice") }),
      response(401, "REGISTER", { challenge: 'nonce="n2"' }),
    ];
    const findings = diagnose(ctx, ladder);
    expect(findings.map((f) => f.cause)).toEqual(["wrong-password"]);
    expect(findings[0].fix.href).toBe("/mapping-gateways/g1");
  });

  it("an unknown username", () => {
    expect(
      causes([
        request("REGISTER"),
        response(401, "REGISTER", { challenge: 'nonce="n1"' }),
        request("REGISTER", { auth: creds("mallory") }),
        response(401, "REGISTER", { challenge: 'nonce="n2"' }),
      ]),
    ).toEqual(["unknown-username"]);
  });

  it("a realm mismatch", () => {
    expect(
      causes([
        request("REGISTER"),
        response(401, "REGISTER", { challenge: 'nonce="n1"' }),
        request("REGISTER", { auth: creds("alice", "other.example") }),
        response(401, "REGISTER", { challenge: 'nonce="n2"' }),
      ]),
    ).toEqual(["realm-mismatch"]);
  });

  it("stale nonce reuse: the old nonce comes back after stale=true", () => {
    const ladder = [
      request("REGISTER", { auth: creds("alice", "softswitch.local", "old") }),
      response(401, "REGISTER", { challenge: 'nonce="fresh", stale=true' }),
      request("REGISTER", { auth: creds("alice", "softswitch.local", "old") }),
      response(401, "REGISTER", { challenge: 'nonce="fresher", stale=true' }),
    ];
    expect(causes(ladder)).toEqual(["stale-nonce-reuse"]);
  });

  it("a phone (a Password gateway's account) is not taken for an IP+Port gateway on its address", () => {
    const ladder = [
      request("REGISTER", { address: "192.0.2.10", port: 5099 }),
      response(407, "REGISTER", { address: "192.0.2.10", port: 5099 }),
    ];
    expect(causes(ladder)).toEqual(["ignores-407-on-register"]);
  });

  it("a request from the wrong port of an IP+Port gateway", () => {
    const findings = diagnose(ctx, [
      request("INVITE", { address: "192.0.2.10", port: 5099, from: "pbx" }),
      response(407, "INVITE", { address: "192.0.2.10", port: 5099 }),
    ]);
    expect(findings.map((f) => f.cause)).toEqual(["wrong-address"]);
    expect(findings[0].title).toBe("Port 5099 is not the port of pbx");
  });

  it("a suspended source comes first, before the wrong password that led to it", () => {
    const ladder = [
      request("REGISTER"),
      response(401, "REGISTER", { challenge: 'nonce="n1"' }),
      request("REGISTER", { auth: creds("alice") }),
      response(401, "REGISTER", { challenge: 'nonce="n2"' }),
      request("REGISTER", { auth: creds("alice", "softswitch.local", "n2") }),
    ];
    expect(causes(ladder, { ...ctx, suspendedSources: ["203.0.113.7"] })).toEqual([
      "source-suspended",
      "wrong-password",
    ]);
  });

  it("a suspended source: no answer at all", () => {
    const findings = diagnose({ ...ctx, suspendedSources: ["203.0.113.7"] }, [
      request("REGISTER", { auth: creds("alice") }),
    ]);
    expect(findings.map((f) => f.cause)).toEqual(["source-suspended"]);
    expect(findings[0].fix.href).toBe("/security");
  });

  it("a right password: nothing to report", () => {
    expect(
      causes([
        request("REGISTER"),
        response(401, "REGISTER", { challenge: 'nonce="n1"' }),
        request("REGISTER", { auth: creds("alice") }),
        response(200, "REGISTER"),
      ]),
    ).toEqual([]);
  });
});
