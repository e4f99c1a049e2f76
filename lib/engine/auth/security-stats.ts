import type { Clock } from "@/lib/engine/clock";
import type { SecurityReport } from "@/lib/domain/control-api";

// The security monitor's figures (issue 10): challenges sent, challenges answered with good
// credentials, and failed answers per source and per claimed username, in one-minute buckets over
// the last hour. Each bucket keeps at most KEYS_PER_BUCKET sources and usernames: a flood from
// many addresses costs bounded memory and the rest is counted under "other".

const MINUTE_MS = 60_000;
const WINDOW_MINUTES = 60;
const KEYS_PER_BUCKET = 1000;
export const OTHER = "(other)";

type Bucket = {
  minute: number;
  challenges: number;
  answered: number;
  failures: number;
  bySource: Map<string, { failures: number; lastUsername: string | null; lastAt: number }>;
  byUsername: Map<string, number>;
};

export class SecurityStats {
  private readonly buckets: Bucket[] = [];

  constructor(private readonly clock: Clock) {}

  challenge(): void {
    this.current().challenges++;
  }

  answered(): void {
    this.current().answered++;
  }

  failure(source: string, username: string | null): void {
    const bucket = this.current();
    bucket.failures++;
    const sourceKey = bucket.bySource.has(source) || bucket.bySource.size < KEYS_PER_BUCKET ? source : OTHER;
    const entry = bucket.bySource.get(sourceKey) ?? { failures: 0, lastUsername: null, lastAt: 0 };
    entry.failures++;
    entry.lastUsername = username;
    entry.lastAt = this.clock.now();
    bucket.bySource.set(sourceKey, entry);
    if (username === null) return;
    const userKey = bucket.byUsername.has(username) || bucket.byUsername.size < KEYS_PER_BUCKET ? username : OTHER;
    bucket.byUsername.set(userKey, (bucket.byUsername.get(userKey) ?? 0) + 1);
  }

  /** The last hour, minute by minute (empty minutes included), and the top sources and usernames. */
  report(top = 20): Omit<SecurityReport, "suspensions" | "neverSuspended"> {
    const now = Math.floor(this.clock.now() / MINUTE_MS);
    this.prune(now);
    const byMinute = new Map(this.buckets.map((b) => [b.minute, b]));
    const perMinute = [];
    for (let m = now - WINDOW_MINUTES + 1; m <= now; m++) {
      const b = byMinute.get(m);
      perMinute.push({
        minute: new Date(m * MINUTE_MS).toISOString(),
        challenges: b?.challenges ?? 0,
        answered: b?.answered ?? 0,
        failures: b?.failures ?? 0,
      });
    }
    const sources = new Map<string, { failures: number; lastUsername: string | null; lastAt: number }>();
    const usernames = new Map<string, number>();
    for (const b of this.buckets) {
      for (const [source, e] of b.bySource) {
        const sum = sources.get(source) ?? { failures: 0, lastUsername: null, lastAt: 0 };
        sum.failures += e.failures;
        if (e.lastAt >= sum.lastAt) Object.assign(sum, { lastUsername: e.lastUsername, lastAt: e.lastAt });
        sources.set(source, sum);
      }
      for (const [username, n] of b.byUsername) usernames.set(username, (usernames.get(username) ?? 0) + n);
    }
    return {
      windowMinutes: WINDOW_MINUTES,
      perMinute,
      topSources: [...sources]
        .sort((a, b) => b[1].failures - a[1].failures)
        .slice(0, top)
        .map(([address, e]) => ({
          address,
          failures: e.failures,
          lastUsername: e.lastUsername,
          lastAt: new Date(e.lastAt).toISOString(),
        })),
      byUsername: [...usernames]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([username, failures]) => ({ username, failures })),
    };
  }

  private current(): Bucket {
    const minute = Math.floor(this.clock.now() / MINUTE_MS);
    const last = this.buckets[this.buckets.length - 1];
    if (last?.minute === minute) return last;
    this.prune(minute);
    const bucket: Bucket = {
      minute,
      challenges: 0,
      answered: 0,
      failures: 0,
      bySource: new Map(),
      byUsername: new Map(),
    };
    this.buckets.push(bucket);
    return bucket;
  }

  private prune(nowMinute: number): void {
    while (this.buckets.length > 0 && this.buckets[0].minute <= nowMinute - WINDOW_MINUTES) this.buckets.shift();
  }
}
