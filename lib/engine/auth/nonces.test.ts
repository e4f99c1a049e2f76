import { describe, expect, it } from "vitest";
import { NonceService } from "@/lib/engine/auth/nonces";
import { FakeClock } from "@/lib/engine/clock";

const SECRET = Buffer.alloc(32, 7);
const LIFETIME = 300;

function setup(maxTracked?: number) {
  const clock = new FakeClock();
  return { clock, nonces: new NonceService(clock, { secret: SECRET, maxTracked }) };
}

/** The same nonce with its character at `index` changed. */
function altered(nonce: string, index: number): string {
  const c = nonce[index] === "A" ? "B" : "A";
  return nonce.slice(0, index) + c + nonce.slice(index + 1);
}

describe("NonceService.check", () => {
  it("issues distinct 48-character base64url nonces without padding", () => {
    const { nonces } = setup();
    const a = nonces.issue();
    expect(a).toMatch(/^[A-Za-z0-9_-]{48}$/);
    expect(nonces.issue()).not.toBe(a);
    expect(nonces.check(a, LIFETIME)).toBe("valid");
  });

  it("expires exactly at the lifetime: valid 1 ms before, stale at it", () => {
    const { clock, nonces } = setup();
    const nonce = nonces.issue();
    clock.advance(LIFETIME * 1000 - 1);
    expect(nonces.check(nonce, LIFETIME)).toBe("valid");
    clock.advance(1);
    expect(nonces.check(nonce, LIFETIME)).toBe("stale");
    clock.advance(86_400_000);
    expect(nonces.check(nonce, LIFETIME)).toBe("stale");
  });

  it("carries its issue time: the lifetime given at check time decides", () => {
    const { clock, nonces } = setup();
    const nonce = nonces.issue();
    clock.advance(20_000);
    expect(nonces.check(nonce, 10)).toBe("stale");
    expect(nonces.check(nonce, 30)).toBe("valid");
    expect(nonces.issuedAt(nonce)).toBe(clock.now() - 20_000);
  });

  it("says invalid, not stale, for a nonce whose signature is wrong", () => {
    const { clock, nonces } = setup();
    const nonce = nonces.issue();
    clock.advance(LIFETIME * 2000);
    expect(nonces.check(nonce, LIFETIME)).toBe("stale");
    // every byte is covered: the time, the random part and the MAC itself
    for (const index of [0, 10, 20, 40, 47]) expect(nonces.check(altered(nonce, index), LIFETIME)).toBe("invalid");
    expect(new NonceService(clock).check(nonce, LIFETIME)).toBe("invalid");
  });

  it("refuses anything that is not one of ours", () => {
    const { nonces } = setup();
    const nonce = nonces.issue();
    for (const bad of [
      "",
      "abc",
      `${nonce}=`,
      `${nonce}A`,
      nonce.slice(1),
      `${nonce.slice(0, 47)}+`,
      "dcd98b7102dd2f0e8b11d0f600bfb0c093",
    ]) {
      expect(nonces.check(bad, LIFETIME)).toBe("invalid");
    }
  });

  it("binds a nonce to the source it was issued for, when given one", () => {
    const { nonces } = setup();
    const nonce = nonces.issue("192.0.2.1");
    expect(nonces.check(nonce, LIFETIME, "192.0.2.1")).toBe("valid");
    expect(nonces.check(nonce, LIFETIME, "192.0.2.2")).toBe("invalid");
    expect(nonces.check(nonce, LIFETIME)).toBe("invalid");
  });

  it("judges a nonce issued before the clock stepped back by its distance in time", () => {
    const { nonces } = setup();
    const issueAt = (ms: number) => new NonceService(new FakeClock(ms), { secret: SECRET }).issue();
    expect(nonces.check(issueAt(1_700_000_100_000), LIFETIME)).toBe("valid");
    expect(nonces.check(issueAt(1_700_000_300_000), LIFETIME)).toBe("stale");
  });

  it("keeps nonces distinct past its pool of random bytes", () => {
    const { nonces } = setup();
    const seen = new Set(Array.from({ length: 1000 }, () => nonces.issue()));
    expect(seen.size).toBe(1000);
  });
});

describe("NonceService.useCount (RFC 7616 §3.3 replay)", () => {
  it("accepts rising counts and refuses a repeated or falling one", () => {
    const { nonces } = setup();
    const nonce = nonces.issue();
    expect(nonces.useCount(nonce, 1, LIFETIME)).toBe("fresh");
    expect(nonces.useCount(nonce, 1, LIFETIME)).toBe("replay");
    expect(nonces.useCount(nonce, 2, LIFETIME)).toBe("fresh");
    expect(nonces.useCount(nonce, 5, LIFETIME)).toBe("fresh");
    expect(nonces.useCount(nonce, 3, LIFETIME)).toBe("replay");
    expect(nonces.useCount(nonce, 6, LIFETIME)).toBe("fresh");
  });

  it("keeps counts per nonce and refuses a count of zero", () => {
    const { nonces } = setup();
    const a = nonces.issue();
    const b = nonces.issue();
    expect(nonces.useCount(a, 3, LIFETIME)).toBe("fresh");
    expect(nonces.useCount(b, 1, LIFETIME)).toBe("fresh");
    expect(nonces.useCount(nonces.issue(), 0, LIFETIME)).toBe("replay");
  });

  it("forgets nonces older than the lifetime", () => {
    const { clock, nonces } = setup();
    for (let i = 0; i < 50; i++) nonces.useCount(nonces.issue(), 1, LIFETIME);
    expect(nonces.trackedCount).toBe(50);
    clock.advance(LIFETIME * 1000);
    nonces.useCount(nonces.issue(), 1, LIFETIME);
    expect(nonces.trackedCount).toBe(1);
  });

  it("caps its memory, and a nonce dropped for space is never accepted again", () => {
    const { clock, nonces } = setup(100);
    const first = nonces.issue();
    nonces.useCount(first, 1, LIFETIME);
    for (let i = 0; i < 300; i++) {
      clock.advance(10);
      nonces.useCount(nonces.issue(), 1, LIFETIME);
    }
    expect(nonces.trackedCount).toBeLessThanOrEqual(100);
    expect(nonces.check(first, LIFETIME)).toBe("valid");
    expect(nonces.useCount(first, 2, LIFETIME)).toBe("forgotten");
    const recent = nonces.issue();
    expect(nonces.useCount(recent, 1, LIFETIME)).toBe("fresh");
  });
});
