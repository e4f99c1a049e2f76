import type { Clock, TimerHandle } from "@/lib/engine/clock";
import type { SipRequest } from "@/lib/engine/sip/message";
import { parseUri } from "@/lib/engine/sip/uri";
import type { Remote } from "@/lib/engine/transport/remote";
import {
  detach,
  recordFromStored,
  storedOf,
  type BindingRecord,
  type BindingView,
  type StoredBinding,
} from "@/lib/engine/registrar/binding";
import { applyUpdate } from "@/lib/engine/registrar/register-apply";
import {
  readRegister,
  type GrantedContact,
  type RegisterParams,
  type RegisterResult,
} from "@/lib/engine/registrar/register-request";
import { sameUriAsText } from "@/lib/engine/registrar/uri-compare";

export interface RegistrarOptions {
  readonly clock: Clock;
  /** Least time between two sweeps. Reads never show a binding past its removal; this only bounds how long memory is held. */
  readonly sweepIntervalMs?: number;
  /** Most bindings one account may hold: an authenticated UA cannot grow memory without bound. */
  readonly maxBindingsPerAccount?: number;
}

export interface ListQuery {
  readonly accountId?: string;
  readonly limit?: number;
  readonly offset?: number;
}

export interface ListPage {
  /** Bindings matching the query before limit and offset. */
  readonly total: number;
  readonly bindings: BindingView[];
}

const EMPTY: readonly BindingRecord[] = [];
const MAX_TIMER_MS = 2_147_483_647;
const MAX_USER_AGENTS = 1_000;

function granted(records: readonly BindingRecord[], now: number): GrantedContact[] {
  const out: GrantedContact[] = [];
  for (const b of records)
    if (now < b.expiresAt) out.push({ uri: b.uri, expires: Math.ceil((b.expiresAt - now) / 1000), q: b.q });
  return out;
}

/** Live before expired, then q (absent counts as 1), then the latest expiry: the order to try contacts in. */
export function byPreference(
  a: Pick<BindingView, "expired" | "q" | "expiresAt">,
  b: Pick<BindingView, "expired" | "q" | "expiresAt">,
): number {
  if (a.expired !== b.expired) return a.expired ? 1 : -1;
  return (b.q ?? 1) - (a.q ?? 1) || b.expiresAt - a.expiresAt;
}

/** The registrar's bindings (RFC 3261 §10.3), keyed by the account the caller identified. */
export class Registrar {
  private readonly clock: Clock;
  private readonly sweepIntervalMs: number;
  private readonly maxPerAccount: number;
  private readonly accounts = new Map<string, BindingRecord[]>();
  private readonly listeners = new Set<(accountIds: readonly string[]) => void>();
  private readonly userAgents = new Map<string, string>();
  private total = 0;
  /** No binding is due for removal before this (a lower bound: refreshes only move removals later). */
  private nextDueAt = Infinity;
  private lastSweepAt = -Infinity;
  private timer: TimerHandle | null = null;
  private timerAt = Infinity;

  constructor(options: RegistrarOptions) {
    this.clock = options.clock;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 5_000;
    this.maxPerAccount = options.maxBindingsPerAccount ?? 32;
  }

  /** Steps 6 to 8 of RFC 3261 §10.3; the caller has done 1 to 5 (domain, Require, authentication, account). */
  handleRegister(accountId: string, request: SipRequest, source: Remote, params: RegisterParams): RegisterResult {
    const read = readRegister(request, params);
    if (!read.ok) return read.result;
    const now = this.clock.now();
    const stored = this.accounts.get(accountId) ?? EMPTY;
    const live = stored.filter((b) => b.removeAt() > now);
    const plan = read.plan;
    if (plan.kind === "query") {
      if (live.length !== stored.length) this.commit(accountId, stored, live);
      return { status: 200, contacts: granted(live, now) };
    }
    if (plan.kind === "remove-all") {
      // RFC 3261 §10.3 step 6: a binding of the same Call-ID survives a "*" whose CSeq is not higher
      const kept = live.filter((b) => b.callId === plan.callId && b.cseq >= plan.cseq);
      this.commit(accountId, stored, kept);
      if (kept.length !== live.length) this.changed([accountId]);
      return { status: 200, contacts: granted(kept, now), expires: 0 };
    }
    const userAgent = plan.userAgent === null ? null : this.internUserAgent(plan.userAgent);
    const outcome = applyUpdate({
      accountId,
      live,
      plan: { ...plan, userAgent },
      source,
      params,
      now,
      maxPerAccount: this.maxPerAccount,
    });
    if (!outcome.ok) return outcome.result;
    this.commit(accountId, stored, outcome.next);
    for (const b of outcome.touched) this.noteDue(b.removeAt());
    if (outcome.changed) this.changed([accountId]);
    return { status: 200, contacts: granted(outcome.next, now), expires: plan.changes[0].expires };
  }

  private commit(accountId: string, stored: readonly BindingRecord[], next: BindingRecord[]): void {
    this.total += next.length - stored.length;
    if (next.length === 0) this.accounts.delete(accountId);
    // A pushed-to array keeps room for 16 more; a slice has exactly its length (150 bytes a binding saved).
    else this.accounts.set(accountId, next.slice());
  }

  // Thousands of phones send a handful of User-Agent strings: keep one copy of each.
  private internUserAgent(ua: string): string {
    const known = this.userAgents.get(ua);
    if (known !== undefined) return known;
    const copy = detach(ua);
    if (this.userAgents.size < MAX_USER_AGENTS) this.userAgents.set(copy, copy);
    return copy;
  }

  /** The account's bindings that are not yet removed, the one to try first first; expired ones are flagged. */
  lookup(accountId: string): BindingView[] {
    const now = this.clock.now();
    const out: BindingView[] = [];
    for (const b of this.accounts.get(accountId) ?? EMPTY) if (b.removeAt() > now) out.push(b.view(now));
    return out.sort(byPreference);
  }

  list(query: ListQuery = {}): ListPage {
    const now = this.clock.now();
    this.collect(now);
    const offset = Math.max(0, query.offset ?? 0);
    const end = query.limit === undefined ? Infinity : offset + Math.max(0, query.limit);
    const bindings: BindingView[] = [];
    let index = 0;
    const lists =
      query.accountId === undefined ? this.accounts.values() : [this.accounts.get(query.accountId) ?? EMPTY];
    for (const records of lists) {
      for (const b of records) {
        if (index >= offset && index < end) bindings.push(b.view(now));
        index++;
      }
    }
    return { total: index, bindings };
  }

  count(): number {
    this.collect(this.clock.now());
    return this.total;
  }

  /** Removes one contact of the account (compared as RFC 3261 §19.1.4 says), or all of them. */
  remove(accountId: string, contactUri?: string): number {
    if (contactUri === undefined) return this.removeAccount(accountId);
    const stored = this.accounts.get(accountId) ?? EMPTY;
    const parsed = parseUri(contactUri);
    const next = stored.filter((b) => !(parsed.ok ? sameUriAsText(parsed.value, b.uri) : b.uri === contactUri));
    const removed = stored.length - next.length;
    if (removed > 0) {
      this.commit(accountId, stored, next);
      this.changed([accountId]);
    }
    return removed;
  }

  /** For a gateway removed, disabled, or no longer in Password mode. */
  removeAccount(accountId: string): number {
    const stored = this.accounts.get(accountId);
    if (stored === undefined) return 0;
    this.commit(accountId, stored, []);
    this.changed([accountId]);
    return stored.length;
  }

  /** Drops the bindings of every account not in `ids` (after a reload). */
  retainAccounts(ids: ReadonlySet<string>): number {
    let removed = 0;
    const dropped: string[] = [];
    for (const [accountId, stored] of this.accounts) {
      if (ids.has(accountId)) continue;
      removed += stored.length;
      dropped.push(accountId);
      this.commit(accountId, stored, []);
    }
    if (removed > 0) this.changed(dropped);
    return removed;
  }

  /** Puts back a binding kept across a restart; false when it is already past its removal. */
  restore(binding: StoredBinding, now: number): boolean {
    if (binding.removeAt <= now) return false;
    const stored = this.accounts.get(binding.accountId) ?? EMPTY;
    if (stored.some((b) => b.uri === binding.uri)) return false;
    const record = recordFromStored(
      binding.userAgent === null ? binding : { ...binding, userAgent: this.internUserAgent(binding.userAgent) },
    );
    this.commit(binding.accountId, stored, [...stored, record]);
    this.noteDue(record.removeAt());
    return true;
  }

  /** Removes every binding whose grace has run out by `now`; the timer calls it, tests may too. */
  sweep(now: number): number {
    let removed = 0;
    let nextDue = Infinity;
    for (const [accountId, stored] of this.accounts) {
      let dead = 0;
      for (const b of stored) {
        const at = b.removeAt();
        if (at <= now) dead++;
        else if (at < nextDue) nextDue = at;
      }
      if (dead === 0) continue;
      removed += dead;
      this.commit(
        accountId,
        stored,
        stored.filter((b) => b.removeAt() > now),
      );
    }
    this.nextDueAt = nextDue;
    this.lastSweepAt = now;
    this.arm(now);
    return removed;
  }

  /** Called with the accounts whose bindings changed in a way a restart should keep (not expiry: loading skips those). */
  onChange(listener: (accountIds: readonly string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.timer?.cancel();
    this.timer = null;
    this.listeners.clear();
  }

  private collect(now: number): void {
    if (now >= this.nextDueAt) this.sweep(now);
  }

  /** The account's bindings as the binding journal keeps them (a TCP connection does not outlive the process). */
  stored(accountId: string): StoredBinding[] {
    return (this.accounts.get(accountId) ?? EMPTY).map((b) => storedOf(b));
  }

  /** Every account that has bindings. */
  accountIds(): string[] {
    return [...this.accounts.keys()];
  }

  private changed(accountIds: readonly string[]): void {
    for (const listener of this.listeners) listener(accountIds);
  }

  private noteDue(removeAt: number): void {
    if (removeAt < this.nextDueAt) this.nextDueAt = removeAt;
    this.arm(this.clock.now());
  }

  // One timer for all bindings, at the next removal but never twice within sweepIntervalMs.
  private arm(now: number): void {
    const at = this.total === 0 ? Infinity : Math.max(this.nextDueAt, this.lastSweepAt + this.sweepIntervalMs);
    if (this.timer !== null && this.timerAt <= at) return;
    this.timer?.cancel();
    this.timer = null;
    this.timerAt = at;
    if (at === Infinity) return;
    this.timer = this.clock.setTimer(Math.min(Math.max(0, at - now), MAX_TIMER_MS), () => {
      this.timer = null;
      this.timerAt = Infinity;
      this.sweep(this.clock.now());
    });
  }
}
