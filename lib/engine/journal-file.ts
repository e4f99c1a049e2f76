import {
  close,
  closeSync,
  existsSync,
  fdatasync,
  fsyncSync,
  mkdirSync,
  open,
  openSync,
  readFileSync,
  rename,
  renameSync,
  write,
  writeSync,
} from "node:fs";
import path from "node:path";
import type { Clock, TimerHandle } from "@/lib/engine/clock";

// An append-only journal file (issue 18): lines queued by the SIP path, written and synced in
// batches through libuv's thread pool (never blocking the SIP path on the disk), each batch durable
// within FLUSH_MS. Once what was appended outgrows both maxBytes and the last checkpoint, the file
// is rewritten (off the event loop too) as a new checkpoint: the lines that stand for the state
// now, followed by what was queued meanwhile. Rewrites therefore cost a bounded share of the
// appends, whatever the size of the state. Mode 0600: it holds customers' numbers and addresses.

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

type Done = (error: NodeJS.ErrnoException | null) => void;

/** A journal file's lines, parsed, in order (none without the file); a line a crash cut short is skipped. */
export function readJournalLines(file: string): unknown[] {
  if (!existsSync(file)) return [];
  const lines: unknown[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.length === 0) continue;
    try {
      lines.push(JSON.parse(line));
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
    }
  }
  return lines;
}

export class JournalFile {
  private fd: number;
  /** Bytes of the last checkpoint, and appended since. */
  private checkpointBytes = 0;
  private appendedBytes = 0;
  private queue: string[] = [];
  private writing: Promise<void> | null = null;
  private timer: TimerHandle | null = null;
  private stopped = false;

  /** Starts the file afresh from the checkpoint (what was read from it at start is in the state). */
  constructor(private readonly options: JournalFileOptions) {
    // A first start: the data folder does not exist yet
    mkdirSync(path.dirname(options.path), { recursive: true, mode: 0o700 });
    const text = this.checkpointText();
    const temporary = `${options.path}.tmp`;
    const fd = openSync(temporary, "w", 0o600);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temporary, options.path);
    this.fd = openSync(options.path, "a", 0o600);
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
        this.report(writeError, "write");
        fdatasync(this.fd, (syncError) => {
          this.report(syncError, "sync");
          this.appendedBytes += bytes.length;
          const due = this.appendedBytes > Math.max(this.options.maxBytes ?? MAX_BYTES, this.checkpointBytes);
          const finish = () => {
            this.writing = null;
            if (this.queue.length > 0) void this.flush();
            resolve();
          };
          if (due && !this.stopped) this.rewrite(finish);
          else finish();
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

  private checkpointText(): string {
    const text = this.options
      .checkpoint()
      .map((line) => `${line}\n`)
      .join("");
    this.checkpointBytes = Buffer.byteLength(text);
    this.appendedBytes = 0;
    return text;
  }

  /** A new file: the checkpoint, synced, renamed over the old one; appends queued meanwhile follow it. */
  private rewrite(then: () => void): void {
    const temporary = `${this.options.path}.tmp`;
    const bytes = Buffer.from(this.checkpointText());
    // What was queued happened before this checkpoint, which already holds it
    this.queue = [];
    const failed = (error: NodeJS.ErrnoException | null, step: string) => {
      if (!error) return false;
      this.report(error, `checkpoint ${step}`);
      then(); // the old file stays: it still holds everything
      return true;
    };
    open(temporary, "w", 0o600, (openError, fd) => {
      if (failed(openError, "open")) return;
      const closeThen = (next: Done) => close(fd, next);
      write(fd, bytes, (writeError) => {
        if (writeError) return closeThen(() => failed(writeError, "write"));
        fdatasync(fd, (syncError) =>
          closeThen(() => {
            if (failed(syncError, "sync")) return;
            rename(temporary, this.options.path, (renameError) => {
              if (failed(renameError, "rename")) return;
              open(this.options.path, "a", 0o600, (reopenError, appendFd) => {
                if (failed(reopenError, "reopen")) return;
                const old = this.fd;
                this.fd = appendFd;
                close(old, (closeError) => this.report(closeError, "close"));
                then();
              });
            });
          }),
        );
      });
    });
  }

  private report(error: NodeJS.ErrnoException | null, step: string): void {
    if (error) this.options.log?.(`engine: ${this.options.path}: ${step} failed: ${error.message}`);
  }
}
