import {
  closeSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import type { Cdr } from "@/lib/domain/cdr";
import type { Clock, TimerHandle } from "@/lib/engine/clock";
import { OpenCallsLog, readOpenCalls } from "@/lib/engine/cdr/open-calls";

// The CDR journal (issue 9, DESIGN.md "loses no call record"): JSON lines in the data folder (mode
// 0600: numbers and addresses of customers), appended in batches, one write and one fsync per
// flush, never rewritten. Calls in flight are kept in a side file so that after a crash their
// records can still be written, ended by the server at the time that file was last updated.

export const JOURNAL_FILE = "cdr-journal.jsonl";
/** One byte offset kept per this many records: memory stays small however long the journal. */
const INDEX_EVERY = 1000;
const CHUNK = 64 * 1024;
/** While calls are open the engine notes it is alive this often: a crash's records end at most this early. */
const HEARTBEAT_MS = 5_000;

/** A record before the journal numbers it. */
export type CdrDraft = Omit<Cdr, "seq">;
export type CdrPage = { records: Cdr[]; next: number };

export type JournalOptions = {
  readonly dataDir: string;
  readonly clock: Clock;
  /** The longest a record waits in memory before it is written and synced. */
  readonly flushMs?: number;
  readonly onWritten?: (count: number) => void;
  /** Calls the dialog journal resumes (issue 18): left open, not ended by the crash. */
  readonly resumed?: ReadonlySet<string>;
};

export type JournalStats = { flushes: number; fsyncs: number };

export class CdrJournal {
  private readonly file: string;
  private fd: number;
  private size: number;
  private lastSeq = 0;
  /** seq of the first record in each INDEX_EVERY block → its byte offset (sorted by seq). */
  private readonly index: Array<{ seq: number; offset: number }> = [];
  private pending: string[] = [];
  private pendingSeq = 0;
  private readonly open = new Map<string, CdrDraft>();
  /** Calls whose record is in `pending`: closed in the open-calls log once it is durable. */
  private closing: CdrDraft[] = [];
  private openLog: OpenCallsLog | null = null;
  private timer: TimerHandle | null = null;
  private heartbeat: TimerHandle | null = null;
  readonly stats: JournalStats = { flushes: 0, fsyncs: 0 };

  private constructor(private readonly options: JournalOptions) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    this.file = path.join(options.dataDir, JOURNAL_FILE);
    this.fd = openSync(this.file, "a+", 0o600);
    fchmodSync(this.fd, 0o600);
    this.size = fstatSync(this.fd).size;
  }

  /** Opens (or creates) the journal; calls left open by a crash become server-ended records. */
  static open(options: JournalOptions): CdrJournal {
    const journal = new CdrJournal(options);
    const leftOpen = readOpenCalls(options.dataDir);
    const recorded = journal.scan(new Set(leftOpen.calls.map((c) => c.id)));
    for (const draft of leftOpen.calls) {
      if (recorded.has(draft.id)) continue;
      if (options.resumed?.has(draft.id)) journal.open.set(draft.id, draft);
      else journal.append(endedByCrash(draft, leftOpen.updatedAt));
    }
    journal.flush();
    journal.openLog = new OpenCallsLog(options.dataDir, options.clock, () => [
      ...journal.open.values(),
      ...journal.closing,
    ]);
    return journal;
  }

  get lastWrittenSeq(): number {
    return this.lastSeq;
  }

  /** A call in flight (started, or answered): kept in the side file until its record is appended. */
  markOpen(draft: CdrDraft): void {
    this.open.set(draft.id, draft);
    this.openLog?.opened(draft);
    this.keepBeating();
  }

  append(draft: CdrDraft): number {
    const seq = this.lastSeq + this.pending.length + 1;
    if (this.pending.length === 0) this.pendingSeq = seq;
    this.pending.push(`${JSON.stringify({ seq, ...draft })}\n`);
    const open = this.open.get(draft.id);
    if (open !== undefined) {
      this.open.delete(draft.id);
      this.closing.push(open);
    }
    this.schedule();
    return seq;
  }

  /** One write and one fsync for everything pending, then the side file if it changed. */
  flush(): void {
    this.timer?.cancel();
    this.timer = null;
    if (this.pending.length > 0) {
      const lines = this.pending;
      let offset = this.size;
      let seq = this.pendingSeq;
      const bytes = Buffer.from(lines.join(""), "utf8");
      writeSync(this.fd, bytes, 0, bytes.length, this.size);
      fsyncSync(this.fd);
      this.stats.fsyncs++;
      for (const line of lines) {
        if ((seq - 1) % INDEX_EVERY === 0) this.index.push({ seq, offset });
        offset += Buffer.byteLength(line);
        seq++;
      }
      this.size = offset;
      this.lastSeq = seq - 1;
      this.pending = [];
      this.options.onWritten?.(lines.length);
    }
    for (const call of this.closing) this.openLog?.closed(call.id);
    this.closing = [];
    this.stats.flushes++;
  }

  /** Resolves when the open-calls log has everything so far on disk. */
  flushOpenCalls(): Promise<void> {
    return this.openLog?.flush() ?? Promise.resolve();
  }

  /** While calls are open, a "beat" every HEARTBEAT_MS: a crash's records end at the last one. */
  private keepBeating(): void {
    if (this.heartbeat !== null) return;
    this.heartbeat = this.options.clock.setTimer(HEARTBEAT_MS, () => {
      this.heartbeat = null;
      if (this.open.size === 0) return;
      this.openLog?.beat();
      this.keepBeating();
    });
  }

  /** Durable records with seq > after, oldest first; `next` is the last seq returned (or `after`). */
  read(after: number, limit: number): CdrPage {
    const records: Cdr[] = [];
    let block = -1;
    for (let lo = 0, hi = this.index.length - 1; lo <= hi;) {
      const mid = (lo + hi) >> 1;
      if (this.index[mid].seq <= after + 1) {
        block = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    let offset = block < 0 ? 0 : this.index[block].offset;
    let carry = "";
    while (offset < this.size && records.length < limit) {
      const buffer = Buffer.alloc(Math.min(CHUNK, this.size - offset));
      const got = readSync(this.fd, buffer, 0, buffer.length, offset);
      if (got <= 0) break;
      offset += got;
      const lines = (carry + buffer.toString("utf8", 0, got)).split("\n");
      carry = lines.pop() ?? "";
      for (const line of lines) {
        if (line.length === 0) continue;
        const record = JSON.parse(line) as Cdr;
        if (record.seq > after) records.push(record);
        if (records.length >= limit) break;
      }
    }
    return { records, next: records.at(-1)?.seq ?? after };
  }

  stop(): void {
    this.flush();
    this.heartbeat?.cancel();
    this.heartbeat = null;
    this.openLog?.stop();
    closeSync(this.fd);
  }

  private schedule(): void {
    // Batched: at most flushMs between a record ending and its fsync
    if (this.timer === null) this.timer = this.options.clock.setTimer(this.options.flushMs ?? 200, () => this.flush());
  }

  /** Reads the journal once at start: last seq, the offset index, and which of `ids` are recorded. */
  private scan(ids: Set<string>): Set<string> {
    const found = new Set<string>();
    let offset = 0;
    let carry = Buffer.alloc(0);
    let lineStart = 0;
    while (offset < this.size) {
      const chunk = Buffer.alloc(Math.min(CHUNK, this.size - offset));
      const got = readSync(this.fd, chunk, 0, chunk.length, offset);
      if (got <= 0) break;
      offset += got;
      const data = Buffer.concat([carry, chunk.subarray(0, got)]);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
        const line = data.toString("utf8", start, nl);
        const record = line.length > 0 ? parseLine(line) : null;
        if (record) {
          if ((record.seq - 1) % INDEX_EVERY === 0) this.index.push({ seq: record.seq, offset: lineStart });
          this.lastSeq = record.seq;
          if (ids.has(record.id)) found.add(record.id);
        }
        lineStart += nl - start + 1;
        start = nl + 1;
      }
      carry = data.subarray(start);
    }
    // A line torn by a crash mid-write is cut off: the journal only ever holds whole records
    if (carry.length > 0) {
      ftruncateSync(this.fd, lineStart);
      this.size = lineStart;
    }
    return found;
  }
}

function parseLine(line: string): { seq: number; id: string } | null {
  try {
    const record = JSON.parse(line) as { seq?: unknown; id?: unknown };
    return typeof record.seq === "number" && typeof record.id === "string" ? { seq: record.seq, id: record.id } : null;
  } catch {
    return null;
  }
}

/** A call in flight when the engine died that was not resumed: its record says the server ended it. */
export function endedByCrash(draft: CdrDraft, at: number): CdrDraft {
  const endedAt = Math.max(at, draft.startedAt);
  const holdSeconds = draft.answeredAt === null ? 0 : Math.max(0, Math.round((endedAt - draft.answeredAt) / 1000));
  return { ...draft, endedAt, holdSeconds, endedBy: "server", finalReason: "engine stopped" };
}
