// Server nonces (RFC 7616 §3.3, §5.4): self-describing, so that checking one needs no memory, and
// nonce-count tracking for replay protection, with memory bounded under a flood.
import { createHmac, randomBytes, randomFillSync, timingSafeEqual } from "node:crypto";
import type { Clock } from "@/lib/engine/clock";

export type NonceCheck = "valid" | "stale" | "invalid";
/** `forgotten`: the nonce's count history was dropped under memory pressure; it must not be reused. */
export type CountCheck = "fresh" | "replay" | "forgotten";

export interface NonceOptions {
  /** The HMAC key; a fresh random one when absent (nonces then die with the process). */
  readonly secret?: Buffer;
  /** Most nonces whose nonce-count is remembered. */
  readonly maxTracked?: number;
}

const TIME_BYTES = 8;
const RANDOM_BYTES = 12;
const MAC_BYTES = 16;
// Random parts are drawn from a pool refilled in one call, not one CSPRNG call per nonce.
const POOL_NONCES = 256;
const RAW_BYTES = TIME_BYTES + RANDOM_BYTES + MAC_BYTES;
// 36 bytes give 48 base64url characters exactly: no padding to strip or accept.
const NONCE = /^[A-Za-z0-9_-]{48}$/;

interface Tracked {
  issuedAt: number;
  highest: number;
}

/**
 * nonce = base64url(issue time ‖ random ‖ HMAC-SHA256(secret, issue time ‖ random ‖ source)[:16]).
 * The same `source` (or none) must be given to `check` as to `issue`.
 */
export class NonceService {
  private readonly secret: Buffer;
  private readonly maxTracked: number;
  private readonly counts = new Map<string, Tracked>();
  /** Latest issue time among nonces dropped for space: untracked nonces issued up to it are refused. */
  private evictedUpTo = -Infinity;
  private readonly pool = Buffer.alloc(RANDOM_BYTES * POOL_NONCES);
  private poolUsed = this.pool.length;

  constructor(
    private readonly clock: Clock,
    options: NonceOptions = {},
  ) {
    this.secret = options.secret ?? randomBytes(32);
    this.maxTracked = options.maxTracked ?? 200_000;
  }

  issue(source = ""): string {
    const raw = Buffer.allocUnsafe(RAW_BYTES);
    raw.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(this.clock.now()))), 0);
    if (this.poolUsed === this.pool.length) {
      randomFillSync(this.pool);
      this.poolUsed = 0;
    }
    this.pool.copy(raw, TIME_BYTES, this.poolUsed, this.poolUsed + RANDOM_BYTES);
    this.poolUsed += RANDOM_BYTES;
    this.mac(raw, source).copy(raw, TIME_BYTES + RANDOM_BYTES, 0, MAC_BYTES);
    return raw.toString("base64url");
  }

  /** Issue time in clock milliseconds of a nonce whose signature is right; undefined otherwise. */
  issuedAt(nonce: string, source = ""): number | undefined {
    if (!NONCE.test(nonce)) return undefined;
    const raw = Buffer.from(nonce, "base64url");
    const expected = this.mac(raw, source).subarray(0, MAC_BYTES);
    if (!timingSafeEqual(expected, raw.subarray(TIME_BYTES + RANDOM_BYTES))) return undefined;
    return Number(raw.readBigUInt64BE(0));
  }

  /**
   * RFC 7616 §3.3: a nonce lives `lifetimeSeconds`; at exactly that age it is stale. A signed nonce
   * from the "future" is ours from before the wall clock stepped back: judged by the distance.
   */
  check(nonce: string, lifetimeSeconds: number, source = ""): NonceCheck {
    const issued = this.issuedAt(nonce, source);
    if (issued === undefined) return "invalid";
    return Math.abs(this.clock.now() - issued) < lifetimeSeconds * 1000 ? "valid" : "stale";
  }

  /**
   * Records nonce-count `nc` for a nonce `check` found valid, once its response has verified (so that
   * a wrong answer cannot use up a client's counts). RFC 7616 §3.3: a count not above the highest
   * seen for the nonce is a replay.
   */
  useCount(nonce: string, nc: number, lifetimeSeconds: number): CountCheck {
    const tracked = this.counts.get(nonce);
    if (tracked === undefined) {
      if (!NONCE.test(nonce)) return "replay";
      const issued = Number(Buffer.from(nonce, "base64url").readBigUInt64BE(0));
      if (issued <= this.evictedUpTo) return "forgotten";
      if (nc < 1) return "replay";
      this.prune(lifetimeSeconds);
      this.counts.set(nonce, { issuedAt: issued, highest: nc });
      return "fresh";
    }
    if (nc <= tracked.highest) return "replay";
    tracked.highest = nc;
    return "fresh";
  }

  /** How many nonces have a remembered count (for metrics and tests). */
  get trackedCount(): number {
    return this.counts.size;
  }

  private mac(raw: Buffer, source: string): Buffer {
    return createHmac("sha256", this.secret)
      .update(raw.subarray(0, TIME_BYTES + RANDOM_BYTES))
      .update(source)
      .digest();
  }

  // Entries are kept in first-use order, close to issue order: drop expired ones from the front,
  // then the oldest while over the cap (remembering how far eviction reached).
  private prune(lifetimeSeconds: number): void {
    const oldest = this.clock.now() - lifetimeSeconds * 1000;
    for (const [nonce, tracked] of this.counts) {
      if (tracked.issuedAt > oldest && this.counts.size < this.maxTracked) break;
      if (tracked.issuedAt > oldest) this.evictedUpTo = Math.max(this.evictedUpTo, tracked.issuedAt);
      this.counts.delete(nonce);
    }
  }
}
