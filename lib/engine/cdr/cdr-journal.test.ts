import { mkdtempSync, readFileSync, statSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cdrSchema } from "@/lib/domain/cdr";
import { FakeClock } from "@/lib/engine/clock";
import { CdrJournal, JOURNAL_FILE, type CdrDraft } from "@/lib/engine/cdr/cdr-journal";
import { LEGACY_OPEN_FILE, OPEN_CALLS_FILE, readOpenCalls } from "@/lib/engine/cdr/open-calls";

const dir = () => mkdtempSync(path.join(tmpdir(), "cdr-journal-"));

function draft(id: string, over: Partial<CdrDraft> = {}): CdrDraft {
  return {
    id,
    callerReceived: "1000",
    calleeReceived: "0044123",
    callerSent: "1000",
    calleeSent: "0044123",
    mappingGatewayId: "m1",
    mappingGatewayName: "pbx",
    routingGatewayId: "r1",
    routingGatewayName: "carrier",
    sourceAddress: "192.0.2.10:5062",
    startedAt: 1_000,
    answeredAt: 2_000,
    endedAt: 12_000,
    holdSeconds: 10,
    finalCode: 200,
    finalReason: "OK",
    endedBy: "caller",
    challengesAnswered: 0,
    attempts: [],
    illegal: false,
    configVersion: 3,
    callId: `${id}@x`,
    ...over,
  };
}

const lines = (dataDir: string) => readFileSync(path.join(dataDir, JOURNAL_FILE), "utf8").split("\n").filter(Boolean);

describe("CDR journal", () => {
  it("numbers records from 1 and reads them after a cursor, limit at a time; next is the last seq read", () => {
    const clock = new FakeClock();
    const journal = CdrJournal.open({ dataDir: dir(), clock });
    for (let i = 1; i <= 5; i++) journal.append(draft(`c${i}`));
    journal.flush();
    const first = journal.read(0, 2);
    expect(first.records.map((r) => [r.seq, r.id])).toEqual([
      [1, "c1"],
      [2, "c2"],
    ]);
    expect(first.next).toBe(2);
    expect(journal.read(first.next, 10).records.map((r) => r.seq)).toEqual([3, 4, 5]);
    // nothing new: the cursor stays where it was
    expect(journal.read(5, 10)).toEqual({ records: [], next: 5 });
    for (const r of journal.read(0, 10).records) expect(cdrSchema.parse(r)).toEqual(r);
    journal.stop();
  });

  it("finds records past the offset index (more than one block) without reading from the start", () => {
    const clock = new FakeClock();
    const dataDir = dir();
    let journal = CdrJournal.open({ dataDir, clock });
    for (let i = 1; i <= 2500; i++) journal.append(draft(`c${i}`));
    journal.stop();
    journal = CdrJournal.open({ dataDir, clock });
    expect(journal.read(1999, 3).records.map((r) => r.seq)).toEqual([2000, 2001, 2002]);
    expect(journal.read(2498, 10).records.map((r) => r.id)).toEqual(["c2499", "c2500"]);
    journal.stop();
  });

  it("continues the sequence after the journal is reopened (an engine restart)", () => {
    const clock = new FakeClock();
    const dataDir = dir();
    let journal = CdrJournal.open({ dataDir, clock });
    journal.append(draft("a"));
    journal.append(draft("b"));
    journal.stop();
    journal = CdrJournal.open({ dataDir, clock });
    expect(journal.append(draft("c"))).toBe(3);
    journal.flush();
    expect(journal.read(0, 10).records.map((r) => [r.seq, r.id])).toEqual([
      [1, "a"],
      [2, "b"],
      [3, "c"],
    ]);
    journal.stop();
  });

  it("batches: records wait in memory at most 200 ms, then one write and one fsync for all of them", () => {
    const clock = new FakeClock();
    const dataDir = dir();
    const written: number[] = [];
    const journal = CdrJournal.open({ dataDir, clock, onWritten: (n) => written.push(n) });
    const before = journal.stats.fsyncs;
    journal.append(draft("a"));
    clock.advance(100);
    journal.append(draft("b"));
    journal.append(draft("c"));
    expect(lines(dataDir)).toHaveLength(0);
    expect(journal.read(0, 10).records).toEqual([]); // only durable records are served
    clock.advance(100);
    expect(lines(dataDir)).toHaveLength(3);
    expect(journal.stats.fsyncs - before).toBe(1);
    expect(written).toEqual([3]);
    clock.advance(1000);
    expect(journal.stats.fsyncs - before).toBe(1); // nothing pending: no write at all
    journal.append(draft("d"));
    journal.stop(); // stop flushes what is pending
    expect(lines(dataDir)).toHaveLength(4);
  });

  it("a record ending while calls are open is written within 200 ms, and only then is its call closed in the open-calls log", async () => {
    const clock = new FakeClock();
    const dataDir = dir();
    const journal = CdrJournal.open({ dataDir, clock });
    journal.markOpen(draft("a"));
    journal.markOpen(draft("b"));
    clock.advance(200);
    journal.append(draft("a"));
    await journal.flushOpenCalls();
    expect(readOpenCalls(dataDir).calls.map((c) => c.id)).toEqual(["a", "b"]); // a's record is not durable yet
    clock.advance(200);
    expect(lines(dataDir)).toHaveLength(1);
    await journal.flushOpenCalls();
    expect(readOpenCalls(dataDir).calls.map((c: CdrDraft) => c.id)).toEqual(["b"]);
    journal.stop();
  });

  it("writes the journal and the open-calls file with mode 0600", () => {
    const clock = new FakeClock();
    const dataDir = dir();
    const journal = CdrJournal.open({ dataDir, clock });
    journal.markOpen(draft("live"));
    journal.append(draft("a"));
    journal.stop();
    expect(statSync(path.join(dataDir, JOURNAL_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dataDir, OPEN_CALLS_FILE)).mode & 0o777).toBe(0o600);
  });

  it("turns calls left open by a crash into records ended by the server when the engine was last alive", async () => {
    const clock = new FakeClock(1_000);
    const dataDir = dir();
    const crashed = CdrJournal.open({ dataDir, clock });
    crashed.append(draft("done"));
    crashed.markOpen(draft("ringing", { answeredAt: null, finalCode: 0, finalReason: "", holdSeconds: 0 }));
    crashed.markOpen(draft("talking", { answeredAt: 2_000 }));
    // nothing starts or ends for 30 s: the engine still notes every 5 s that it is alive; then a SIGKILL
    clock.advance(30_000);
    await crashed.flushOpenCalls();
    const updatedAt = readOpenCalls(dataDir).updatedAt;
    expect(updatedAt).toBeGreaterThan(31_000 - 5_000);
    // the dead process's timers die with it: the restarted engine has a clock of its own
    const journal = CdrJournal.open({ dataDir, clock: new FakeClock(100_000) });
    const records = journal.read(0, 10).records;
    expect(records.map((r) => [r.seq, r.id])).toEqual([
      [1, "done"],
      [2, "ringing"],
      [3, "talking"],
    ]);
    expect(records[1]).toMatchObject({
      endedBy: "server",
      finalReason: "engine stopped",
      endedAt: updatedAt,
      answeredAt: null,
      holdSeconds: 0,
    });
    expect(records[2]).toMatchObject({
      endedBy: "server",
      finalReason: "engine stopped",
      endedAt: updatedAt,
      finalCode: 200,
      holdSeconds: Math.round((updatedAt - 2_000) / 1000),
    });
    journal.stop();
    // once written, never again: a second restart adds nothing
    const again = CdrJournal.open({ dataDir, clock });
    expect(again.read(0, 10).records).toHaveLength(3);
    again.stop();
  });

  it("does not record a call twice when its record was written just before the crash", () => {
    const clock = new FakeClock();
    const dataDir = dir();
    writeFileSync(path.join(dataDir, LEGACY_OPEN_FILE), JSON.stringify({ updatedAt: 5_000, calls: [draft("x")] }));
    writeFileSync(path.join(dataDir, JOURNAL_FILE), `${JSON.stringify({ seq: 1, ...draft("x") })}\n`);
    const journal = CdrJournal.open({ dataDir, clock });
    expect(journal.read(0, 10).records.map((r) => r.id)).toEqual(["x"]);
    journal.stop();
  });

  it("drops a record torn by a crash mid-write and carries on after the last whole one", () => {
    const clock = new FakeClock();
    const dataDir = dir();
    let journal = CdrJournal.open({ dataDir, clock });
    journal.append(draft("a"));
    journal.stop();
    appendFileSync(path.join(dataDir, JOURNAL_FILE), '{"seq":2,"id":"b","caller');
    journal = CdrJournal.open({ dataDir, clock });
    expect(journal.append(draft("b"))).toBe(2);
    journal.stop();
    expect(lines(dataDir).map((l) => JSON.parse(l).id)).toEqual(["a", "b"]);
  });
});
