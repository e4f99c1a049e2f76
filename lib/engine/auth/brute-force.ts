// Brute-force protection (DESIGN.md, SS_AUTHENTICATION_MAX_RETRY / SS_AUTHENTICATION_FAILED_SUSPEND):
// failed answers to our challenges are counted per source address in a sliding window; reaching
// the limit suspends the address for the window's length. Memory stays bounded under a flood.
import type { AuthFailureReason } from "@/lib/engine/auth/authenticate";
import { sourceAddress } from "@/lib/engine/auth/source-address";
import type { Clock } from "@/lib/engine/clock";

export interface FailurePolicy {
  /** SS_AUTHENTICATION_MAX_RETRY; 0 = never suspend. */
  readonly maxRetry: number;
  /** SS_AUTHENTICATION_FAILED_SUSPEND: the counting window and the suspension length. */
  readonly windowSeconds: number;
  /** The digest username of the failed attempt, as claimed. */
  readonly username?: string;
}

export interface Suspension {
  /** The suspended address (port and IPv6 spelling normalised, see sourceAddress). */
  readonly source: string;
  /** Clock milliseconds. */
  readonly since: number;
  readonly until: number;
  readonly failures: number;
  readonly lastUsername: string | null;
}

export interface BruteForceOptions {
  /** Most addresses with a failure history, and most suspensions, kept at once. */
  readonly maxSources?: number;
}

interface Attempts {
  /** Times of the failures still inside the window, oldest first; at most maxRetry of them. */
  readonly times: number[];
  lastUsername: string | null;
}

export class BruteForceGuard {
  // Both maps are kept in order of last change, so the oldest entries are at the front.
  private readonly attempts = new Map<string, Attempts>();
  private readonly suspensions = new Map<string, Suspension>();
  private neverSuspend = new Set<string>();
  private readonly maxSources: number;

  constructor(
    private readonly clock: Clock,
    options: BruteForceOptions = {},
  ) {
    this.maxSources = options.maxSources ?? 100_000;
  }

  /** Counts one failed answer from `source`; true when the source is (now) suspended. */
  recordFailure(source: string, policy: FailurePolicy): boolean {
    const address = sourceAddress(source);
    if (policy.maxRetry <= 0 || this.neverSuspend.has(address)) return false;
    if (this.isSuspended(address)) return true;
    const now = this.clock.now();
    const windowMs = policy.windowSeconds * 1000;
    this.prune(now - windowMs);
    const entry = this.attempts.get(address) ?? { times: [], lastUsername: null };
    this.attempts.delete(address);
    while (entry.times.length > 0 && entry.times[0] <= now - windowMs) entry.times.shift();
    entry.times.push(now);
    if (entry.times.length > policy.maxRetry) entry.times.shift();
    if (policy.username !== undefined) entry.lastUsername = policy.username;
    if (entry.times.length < policy.maxRetry) {
      this.attempts.set(address, entry);
      return false;
    }
    const suspension = {
      source: address,
      since: now,
      until: now + windowMs,
      failures: entry.times.length,
      lastUsername: entry.lastUsername,
    };
    this.suspensions.set(address, suspension);
    if (this.suspensions.size > this.maxSources)
      this.suspensions.delete(this.suspensions.keys().next().value as string);
    return true;
  }

  /** Whether requests from `source` are to be dropped now; a suspension ends by itself at `until`. */
  isSuspended(source: string): boolean {
    // Checked for every request: nothing to normalise while nobody is suspended
    if (this.suspensions.size === 0) return false;
    const address = sourceAddress(source);
    const suspension = this.suspensions.get(address);
    if (suspension === undefined) return false;
    if (this.clock.now() < suspension.until) return true;
    this.suspensions.delete(address);
    return false;
  }

  /** The suspensions in force, oldest first. */
  list(): Suspension[] {
    const now = this.clock.now();
    const out: Suspension[] = [];
    for (const [address, suspension] of this.suspensions) {
      if (now < suspension.until) out.push(suspension);
      else this.suspensions.delete(address);
    }
    return out.sort((a, b) => a.since - b.since);
  }

  /** Ends a suspension and forgets the address's failures; false when it was not suspended. */
  lift(source: string): boolean {
    const address = sourceAddress(source);
    const active = this.isSuspended(address);
    this.suspensions.delete(address);
    this.attempts.delete(address);
    return active;
  }

  /** Configured gateway addresses: never counted nor suspended; replaces the previous list. */
  setNeverSuspend(addresses: Iterable<string>): void {
    this.neverSuspend = new Set(Array.from(addresses, sourceAddress));
    for (const address of this.neverSuspend) this.lift(address);
  }

  /** Addresses with failures being counted (for metrics and tests). */
  get trackedSources(): number {
    return this.attempts.size;
  }

  private prune(oldestCounted: number): void {
    for (const [address, entry] of this.attempts) {
      const last = entry.times[entry.times.length - 1] ?? -Infinity;
      if (last > oldestCounted && this.attempts.size < this.maxSources) break;
      this.attempts.delete(address);
    }
  }
}

export interface AuthFailureLogEntry {
  /** Where the request came from, as the transport saw it ("203.0.113.5:5060", "[2001:db8::1]:5060"). */
  readonly source: string;
  /** The digest username claimed; null when there was none. */
  readonly username: string | null;
  readonly reason: AuthFailureReason;
}

const USERNAME_LOG_MAX = 64;

function sanitiseUsername(username: string): string {
  let out = "";
  // Code points, not UTF-16 units, so that the cut never splits a character in two
  for (const c of Array.from(username).slice(0, USERNAME_LOG_MAX)) {
    const code = c.codePointAt(0) as number;
    // C0, DEL, C1 and the Unicode line separators could end or forge a log line
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) out += "?";
    else out += c === '"' || c === "\\" ? `\\${c}` : c;
  }
  return out;
}

/**
 * One line per failed answer to our challenge, in a stable format for log tooling:
 *
 *   auth-failure source=<address[:port]> username="<username>" reason=<reason>
 *
 * e.g. `auth-failure source=203.0.113.5:5060 username="alice" reason=wrong-credentials`.
 * `username` is the one claimed (unverified): cut to 64 characters, control characters (CR, LF, …)
 * replaced by "?", `"` and `\` escaped; `username=-` when there was none. `reason` is one of
 * wrong-credentials, replay, invalid-nonce, unsupported-algorithm. The line never carries a
 * password, HA1, nonce, response or credential line: this function is given none of them.
 */
export function formatAuthFailureLog(entry: AuthFailureLogEntry): string {
  const source = entry.source.replace(/[^0-9A-Za-z.:[\]%_-]/g, "?");
  const username = entry.username === null ? "-" : `"${sanitiseUsername(entry.username)}"`;
  return `auth-failure source=${source} username=${username} reason=${entry.reason}`;
}
