import { describe, expect, it } from "vitest";
import { authenticateRequest } from "@/lib/engine/auth/authenticate";
import { BruteForceGuard, formatAuthFailureLog } from "@/lib/engine/auth/brute-force";
import { buildCredentials } from "@/lib/engine/auth/client-credentials";
import { computeHa1 } from "@/lib/engine/auth/digest";
import { NonceService } from "@/lib/engine/auth/nonces";
import { sourceAddress } from "@/lib/engine/auth/source-address";
import { FakeClock } from "@/lib/engine/clock";
import { parseDatagram } from "@/lib/engine/sip/parser";

const POLICY = { maxRetry: 3, windowSeconds: 180 };
const ATTACKER = "203.0.113.5:5060";

function setup() {
  const clock = new FakeClock();
  return { clock, guard: new BruteForceGuard(clock) };
}

describe("BruteForceGuard", () => {
  it("suspends on the N-th failure within the window, for the window's length", () => {
    const { clock, guard } = setup();
    expect(guard.recordFailure(ATTACKER, { ...POLICY, username: "alice" })).toBe(false);
    clock.advance(1000);
    expect(guard.recordFailure(ATTACKER, POLICY)).toBe(false);
    expect(guard.isSuspended(ATTACKER)).toBe(false);
    clock.advance(1000);
    const since = clock.now();
    expect(guard.recordFailure(ATTACKER, { ...POLICY, username: "bob" })).toBe(true);
    expect(guard.isSuspended("203.0.113.5")).toBe(true);
    expect(guard.list()).toEqual([
      { source: "203.0.113.5", since, until: since + 180_000, failures: 3, lastUsername: "bob" },
    ]);
    clock.advance(180_000 - 1);
    expect(guard.isSuspended(ATTACKER)).toBe(true);
    clock.advance(1);
    expect(guard.isSuspended(ATTACKER)).toBe(false);
    expect(guard.list()).toEqual([]);
    // the count starts again from zero after a suspension
    expect(guard.recordFailure(ATTACKER, POLICY)).toBe(false);
  });

  it("counts per address: another port is the same source", () => {
    const { guard } = setup();
    guard.recordFailure("203.0.113.5:5060", POLICY);
    guard.recordFailure("203.0.113.5:5061", POLICY);
    expect(guard.recordFailure("203.0.113.5:40000", POLICY)).toBe(true);
    expect(guard.isSuspended("203.0.113.6:5060")).toBe(false);
  });

  it("does not count failures older than the window", () => {
    const { clock, guard } = setup();
    guard.recordFailure(ATTACKER, POLICY);
    guard.recordFailure(ATTACKER, POLICY);
    clock.advance(180_000);
    expect(guard.recordFailure(ATTACKER, POLICY)).toBe(false);
    clock.advance(179_999);
    expect(guard.recordFailure(ATTACKER, POLICY)).toBe(false);
    expect(guard.recordFailure(ATTACKER, POLICY)).toBe(true);
  });

  it("lifts a suspension on demand", () => {
    const { guard } = setup();
    for (let i = 0; i < 3; i++) guard.recordFailure(ATTACKER, POLICY);
    expect(guard.lift("203.0.113.5")).toBe(true);
    expect(guard.isSuspended(ATTACKER)).toBe(false);
    expect(guard.list()).toEqual([]);
    expect(guard.lift("203.0.113.5")).toBe(false);
    expect(guard.recordFailure(ATTACKER, POLICY)).toBe(false);
  });

  it("never suspends an allow-listed gateway address, however it is spelled, nor with maxRetry 0", () => {
    const { guard } = setup();
    for (let i = 0; i < 3; i++) guard.recordFailure("[2001:db8::7]:5060", POLICY);
    expect(guard.isSuspended("2001:db8::7")).toBe(true);
    guard.setNeverSuspend(["2001:DB8:0:0::7", "192.0.2.1"]);
    expect(guard.isSuspended("2001:db8::7")).toBe(false);
    for (let i = 0; i < 10; i++) {
      expect(guard.recordFailure("[2001:db8::7]:5060", POLICY)).toBe(false);
      expect(guard.recordFailure("::ffff:192.0.2.1", POLICY)).toBe(false);
      expect(guard.recordFailure("198.51.100.1", { maxRetry: 0, windowSeconds: 180 })).toBe(false);
    }
    expect(guard.list()).toEqual([]);
  });

  it("keeps memory bounded: old failure windows are pruned, and the number of sources is capped", () => {
    const clock = new FakeClock();
    const guard = new BruteForceGuard(clock, { maxSources: 50 });
    for (let i = 0; i < 40; i++) guard.recordFailure(`198.51.100.${i}`, POLICY);
    expect(guard.trackedSources).toBe(40);
    clock.advance(180_000);
    guard.recordFailure("192.0.2.200", POLICY);
    expect(guard.trackedSources).toBe(1);
    for (let i = 0; i < 500; i++) guard.recordFailure(`10.0.${i >> 8}.${i & 255}`, POLICY);
    expect(guard.trackedSources).toBeLessThanOrEqual(50);
  });
});

describe("sourceAddress", () => {
  it.each([
    ["203.0.113.5:5060", "203.0.113.5"],
    ["203.0.113.5", "203.0.113.5"],
    ["[2001:DB8:0:0::1]:5060", "2001:db8::1"],
    ["2001:db8:0:0:0:0:0:1", "2001:db8::1"],
    ["::ffff:192.0.2.1", "192.0.2.1"],
    ["::ffff:c000:201", "192.0.2.1"],
    ["fe80::1%eth0", "fe80::1%eth0"],
  ])("%s → %s", (source, address) => {
    expect(sourceAddress(source)).toBe(address);
    expect(sourceAddress(address)).toBe(address);
  });
});

describe("formatAuthFailureLog", () => {
  it("writes one stable line", () => {
    expect(formatAuthFailureLog({ source: "203.0.113.5:5060", username: "alice", reason: "wrong-credentials" })).toBe(
      'auth-failure source=203.0.113.5:5060 username="alice" reason=wrong-credentials',
    );
    expect(formatAuthFailureLog({ source: "[2001:db8::1]:5060", username: null, reason: "replay" })).toBe(
      "auth-failure source=[2001:db8::1]:5060 username=- reason=replay",
    );
  });

  it("cannot be split or forged by a hostile username, and cuts it at 64 characters", () => {
    const line = formatAuthFailureLog({
      source: "203.0.113.5:5060\r\nx",
      username: 'a"b\\c\r\nauth-failure source=1.1.1.1',
      reason: "wrong-credentials",
    });
    expect(line).not.toMatch(/[\r\n]/);
    expect(line).toBe(
      'auth-failure source=203.0.113.5:5060??x username="a\\"b\\\\c??auth-failure source=1.1.1.1" reason=wrong-credentials',
    );
    const long = formatAuthFailureLog({ source: "192.0.2.1", username: "é".repeat(100), reason: "invalid-nonce" });
    expect(long).toBe(`auth-failure source=192.0.2.1 username="${"é".repeat(64)}" reason=invalid-nonce`);
  });

  it("never carries the response, the password or the HA1 of a failed attempt", () => {
    const clock = new FakeClock();
    const nonces = new NonceService(clock);
    const realm = "softswitch.local";
    const ha1Md5 = computeHa1("MD5", "alice", realm, "right");
    const credentials = buildCredentials({
      username: "alice",
      password: "guess",
      realm,
      nonce: nonces.issue(),
      method: "REGISTER",
      uri: `sip:${realm}`,
    });
    const head = `REGISTER sip:${realm} SIP/2.0\r\nVia: SIP/2.0/UDP 203.0.113.5;branch=z9hG4bK1\r\nFrom: <sip:alice@${realm}>;tag=1\r\nTo: <sip:alice@${realm}>\r\nCall-ID: c\r\nCSeq: 1 REGISTER\r\n`;
    const parsed = parseDatagram(Buffer.from(`${head}Authorization: ${credentials}\r\nContent-Length: 0\r\n\r\n`));
    if (!parsed.ok || parsed.message.kind !== "request") throw new Error("test request did not parse");
    const result = authenticateRequest(parsed.message, {
      realm,
      algorithms: ["MD5"],
      nonceLifetimeSeconds: 300,
      lookup: () => ({ ha1Md5, ha1Sha256: null }),
      nonces,
    });
    if (result.ok || result.kind !== "failed") throw new Error("expected a failure");
    const line = formatAuthFailureLog({ source: ATTACKER, username: result.username, reason: result.reason });
    const response = /response="([0-9a-f]+)"/.exec(credentials)?.[1] ?? "";
    expect(response).toHaveLength(32);
    for (const secret of [response, "guess", "right", ha1Md5, credentials]) expect(line).not.toContain(secret);
    expect(line).toBe('auth-failure source=203.0.113.5:5060 username="alice" reason=wrong-credentials');
  });
});
