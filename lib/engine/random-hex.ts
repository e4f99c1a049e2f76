import { randomFillSync } from "node:crypto";

// Tags, branches and Call-IDs (RFC 3261 §19.3: at least 32 random bits; §8.1.1.7) are drawn from
// one pool of cryptographic randomness refilled 64 KiB at a time: a call needs a dozen of them,
// and a kernel call for each showed in the call benchmark's profile (2.5% of the engine's CPU).

const POOL = Buffer.alloc(64 * 1024);
let used = POOL.length;

/** `bytes` random bytes as hex. */
export function randomHex(bytes: number): string {
  if (used + bytes > POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  const hex = POOL.toString("hex", used, used + bytes);
  used += bytes;
  return hex;
}
