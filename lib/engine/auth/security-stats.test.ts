import { describe, expect, it } from "vitest";
import { OTHER, SecurityStats } from "@/lib/engine/auth/security-stats";
import { FakeClock } from "@/lib/engine/clock";

describe("SecurityStats", () => {
  it("counts challenges, answers and failures per minute over the last hour", () => {
    const clock = new FakeClock();
    const stats = new SecurityStats(clock);
    stats.challenge();
    stats.challenge();
    stats.answered();
    stats.failure("203.0.113.5", "alice");
    clock.advance(60_000);
    stats.failure("203.0.113.5", "bob");
    stats.failure("198.51.100.7", null);
    const report = stats.report();
    expect(report.perMinute).toHaveLength(60);
    expect(
      report.perMinute.slice(-2).map(({ challenges, answered, failures }) => ({ challenges, answered, failures })),
    ).toEqual([
      { challenges: 2, answered: 1, failures: 1 },
      { challenges: 0, answered: 0, failures: 2 },
    ]);
    expect(report.topSources.map((s) => [s.address, s.failures, s.lastUsername])).toEqual([
      ["203.0.113.5", 2, "bob"],
      ["198.51.100.7", 1, null],
    ]);
    expect(report.byUsername).toEqual([
      { username: "alice", failures: 1 },
      { username: "bob", failures: 1 },
    ]);
  });

  it("forgets what is older than an hour", () => {
    const clock = new FakeClock();
    const stats = new SecurityStats(clock);
    stats.failure("203.0.113.5", "alice");
    clock.advance(60 * 60_000);
    const report = stats.report();
    expect(report.topSources).toEqual([]);
    expect(report.perMinute.every((m) => m.failures === 0)).toBe(true);
  });

  it("keeps memory bounded under a flood from many addresses", () => {
    const clock = new FakeClock();
    const stats = new SecurityStats(clock);
    for (let i = 0; i < 5000; i++) stats.failure(`10.0.${i >> 8}.${i & 255}`, `user${i}`);
    const report = stats.report(2000);
    expect(report.topSources).toHaveLength(1001);
    expect(report.topSources[0]).toMatchObject({ address: OTHER, failures: 4000 });
    expect(report.perMinute[59].failures).toBe(5000);
  });
});
