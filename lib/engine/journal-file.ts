import { closeSync, fdatasync, fsyncSync, mkdirSync, openSync, renameSync, write, writeSync } from "node:fs";
import path from "node:path";
import type { Clock, TimerHandle } from "@/lib/engine/clock";

// An append-only journal file (issue 18): lines queued by the SIP path, written and synced in
// batches through libuv's thread pool (never blocking the SIP path), each batch durable within
// FLUSH_MS. Past maxBytes the file is rewritten as a checkpoint: the lines that stand for the state
// now. Mode 0600: it holds customers' numbers and addresses.

const FLUSH_MS = 200;
const MAX_BYTES = 16 * 1024 * 1024;

export type JournalFileOptions = {
  readonly path: string;
  readonly clock: Clock;
  /** The lines that stand for the whole state now: what a rewritten file starts with. */
  readonly checkpoint: () => string[];
  readonly log?: (line: string) => void;
  readonly maxBytes?: number;
};

export class JournalFile {
  private fd: number;
  private size = 0;
  private queue: string[] = [];
  private writing: Promise<void> | null = null;
  private timer: TimerHandle | null = null;
  private stopped = false;

  /** Starts the file afresh from the checkpoint (what was read from it at start is in the state). */
  constructor(private readonly options: JournalFileOptions) {
    // A first start: the data folder does not exist yet
    mkdirSync(path.dirname(options.path), { recursive: true, mode: 0o700 });
    this.fd = this.rewrite(-1);
  }

  append(line: string): void {
    if (this.stopped) return;
    this.queue.push(`${line}\n`);
    if (this.timer === null && this.writing === null)
      this.timer = this.options.clock.setTimer(FLUSH_MS, () => {
        this.timer = null;
        void this.flush();
      });
  }

  /** Writes and syncs what is queued, off the event loop; resolves when it is durable. */
  flush(): Promise<void> {
    if (this.writing !== null) return this.writing.then(() => this.flush());
    if (this.queue.length === 0 || this.stopped) return Promise.resolve();
    const bytes = Buffer.from(this.queue.join(""));
    this.queue = [];
    this.writing = new Promise<void>((resolve) => {
      write(this.fd, bytes, (writeError) => {
        if (writeError) this.options.log?.(`engine: ${this.options.path}: write failed: ${writeError.message}`);
        fdatasync(this.fd, (syncError) => {
          if (syncError) this.options.log?.(`engine: ${this.options.path}: sync failed: ${syncError.message}`);
          this.size += bytes.length;
          this.writing = null;
          if (!this.stopped && this.size > (this.options.maxBytes ?? MAX_BYTES)) this.fd = this.rewrite(this.fd);
          if (this.queue.length > 0) void this.flush();
          resolve();
        });
      });
    });
    return this.writing;
  }

  /** Shutdown (SIGTERM): what is queued is written and synced before the process exits. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.timer?.cancel();
    if (this.queue.length > 0) writeSync(this.fd, this.queue.join(""));
    this.queue = [];
    fsyncSync(this.fd);
    closeSync(this.fd);
  }

  /** A new file holding the checkpoint only, synced and renamed over the old one; the fd to append to. */
  private rewrite(old: number): number {
    const temporary = `${this.options.path}.tmp`;
    const text = this.options
      .checkpoint()
      .map((line) => `${line}\n`)
      .join("");
    const fd = openSync(temporary, "w", 0o600);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temporary, this.options.path);
    if (old >= 0) closeSync(old);
    this.size = Buffer.byteLength(text);
    return openSync(this.options.path, "a", 0o600);
  }
}
