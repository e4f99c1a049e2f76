import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FakeClock } from "@/lib/engine/clock";
import { JournalFile } from "@/lib/engine/journal-file";

const lines = (file: string) => readFileSync(file, "utf8").split("\n").filter(Boolean);

describe("JournalFile", () => {
  it("creates its folder on a first start (0700) and its file (0600), starting from the checkpoint", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "ssc-journal-")), "engine", "log.jsonl");
    const journal = new JournalFile({ path: file, clock: new FakeClock(), checkpoint: () => ['{"state":0}'] });
    journal.append('{"event":1}');
    expect(lines(file)).toEqual(['{"state":0}']); // queued, not yet written
    await journal.flush();
    expect(lines(file)).toEqual(['{"state":0}', '{"event":1}']);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    journal.append('{"event":2}');
    journal.stop(); // SIGTERM: written and synced before the process exits
    expect(lines(file)).toEqual(['{"state":0}', '{"event":1}', '{"event":2}']);
  });

  it("writes a queued batch after 200 ms on its own, and rewrites itself as the checkpoint past its size", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "ssc-journal-")), "log.jsonl");
    const clock = new FakeClock();
    let state = 0;
    const journal = new JournalFile({ path: file, clock, checkpoint: () => [`{"state":${state}}`], maxBytes: 100 });
    for (state = 1; state <= 20; state++) journal.append(`{"event":${state}}`);
    clock.advance(200);
    await journal.flush();
    expect(lines(file)).toEqual([`{"state":${state}}`]);
    journal.stop();
  });

  it("does not rewrite itself on every batch when the state alone is bigger than maxBytes", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "ssc-journal-")), "log.jsonl");
    const big = Array.from({ length: 50 }, (_, i) => `{"account":"a${i}","bindings":[]}`);
    const journal = new JournalFile({ path: file, clock: new FakeClock(), checkpoint: () => big, maxBytes: 100 });
    for (let i = 0; i < 10; i++) journal.append(`{"account":"a${i}","bindings":[1]}`);
    await journal.flush();
    // 10 lines appended are far less than the 50-line checkpoint: kept as appended, no rewrite yet
    expect(lines(file)).toHaveLength(60);
    journal.stop();
  });
});
