// Time as the engine sees it; tests pass a fake one (DESIGN.md: timing logic is proven with a fake clock).

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds, monotonic enough for timers and expiry. */
  now(): number;
  setTimer(ms: number, fn: () => void): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref?.();
    return { cancel: () => clearTimeout(timer) };
  },
};

/** A clock that only moves when told to: `advance(ms)` fires every timer due, in order. */
export class FakeClock implements Clock {
  private time: number;
  private timers: Array<{ at: number; seq: number; fn: () => void; live: boolean }> = [];
  private seq = 0;

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, live: true };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.live = false;
      },
    };
  }

  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= until).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      due.live = false;
      this.time = due.at;
      due.fn();
    }
    this.timers = this.timers.filter((t) => t.live);
    this.time = until;
  }

  pendingTimers(): number {
    return this.timers.filter((t) => t.live).length;
  }
}
