import type { Clock, TimerHandle } from "@/lib/engine/clock";

/** RFC 3261 §17 and Table 4: the base intervals every transaction timer is derived from, in ms. */
export interface TimerSettings {
  /** RTT estimate: first retransmission interval; 64*T1 bounds B, F, H, J, L, M. */
  readonly t1: number;
  /** Cap of the non-INVITE request and INVITE response retransmission interval. */
  readonly t2: number;
  /** How long the network may hold a message: Timers I and K over UDP. */
  readonly t4: number;
  /** Timer D over UDP (RFC 3261 Table 4: at least 32 s). */
  readonly d: number;
}

export const DEFAULT_TIMERS: TimerSettings = { t1: 500, t2: 4000, t4: 5000, d: 32000 };

export function resolveTimers(overrides: Partial<TimerSettings> = {}): TimerSettings {
  return { ...DEFAULT_TIMERS, ...overrides };
}

export const NEVER = Number.POSITIVE_INFINITY;

/**
 * Two deadlines (a retransmission and a timeout) served by one clock timer and one closure made
 * once per transaction, so that no retransmission allocates a closure of its own.
 */
export abstract class TimedEntry {
  protected retransmitAt = NEVER;
  protected timeoutAt = NEVER;
  private handle: TimerHandle | null = null;
  private armedAt = NEVER;
  private readonly fire: () => void;

  protected constructor(protected readonly clock: Clock) {
    this.fire = () => {
      const at = this.armedAt;
      this.handle = null;
      this.armedAt = NEVER;
      // The timeout wins a tie: a transaction that is over does not retransmit once more.
      if (this.timeoutAt <= at) this.onTimeout();
      else if (this.retransmitAt <= at) this.onRetransmit();
      this.arm();
    };
  }

  /** Points the one clock timer at the earlier deadline (or none). */
  protected arm(): void {
    const at = Math.min(this.retransmitAt, this.timeoutAt);
    if (at === this.armedAt) return;
    if (this.handle !== null) this.handle.cancel();
    this.handle = null;
    this.armedAt = at;
    if (at !== NEVER) this.handle = this.clock.setTimer(at - this.clock.now(), this.fire);
  }

  protected stopTimers(): void {
    this.retransmitAt = NEVER;
    this.timeoutAt = NEVER;
    this.arm();
  }

  protected abstract onRetransmit(): void;
  protected abstract onTimeout(): void;
}
