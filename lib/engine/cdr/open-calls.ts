import { rmSync } from "node:fs";
import path from "node:path";
import type { Clock } from "@/lib/engine/clock";
import { JournalFile, readJournalLines } from "@/lib/engine/journal-file";
import type { CdrDraft } from "@/lib/engine/cdr/cdr-journal";

// The calls in flight, for their records after a crash (issue 9, issue 18): a log of "open" (a
// call's draft as it started or was answered), "closed" (its record is durable) and "beat" (the
// engine was alive then) lines, appended through a journal file: a change costs one short line off
// the SIP path, however many calls are up. What the log says at start is what a crash left open.

export const OPEN_CALLS_FILE = "cdr-open.jsonl";
/** The whole-file format of earlier versions, read once on upgrade. */
export const LEGACY_OPEN_FILE = "cdr-open.json";

export type OpenCalls = { updatedAt: number; calls: CdrDraft[] };

type Line = { open?: CdrDraft; closed?: string; beat?: number };

/** The calls the log (or an older version's file) says were open, and when the engine was last alive. */
export function readOpenCalls(dataDir: string): OpenCalls {
  const open = new Map<string, CdrDraft>();
  let updatedAt = 0;
  // The older format is one JSON object on one line
  const [legacy] = readJournalLines(path.join(dataDir, LEGACY_OPEN_FILE)) as ({
    updatedAt?: unknown;
    calls?: unknown;
  } | null)[];
  if (legacy && typeof legacy.updatedAt === "number" && Array.isArray(legacy.calls)) {
    updatedAt = legacy.updatedAt;
    for (const call of legacy.calls as CdrDraft[]) open.set(call.id, call);
  }
  for (const line of readJournalLines(path.join(dataDir, OPEN_CALLS_FILE)) as (Line | null)[]) {
    if (line?.open) {
      open.set(line.open.id, line.open);
      updatedAt = Math.max(updatedAt, line.open.answeredAt ?? line.open.startedAt);
    } else if (typeof line?.closed === "string") open.delete(line.closed);
    else if (typeof line?.beat === "number") updatedAt = Math.max(updatedAt, line.beat);
  }
  return { updatedAt, calls: [...open.values()] };
}

/** The log, from a checkpoint of `open` (the calls still in flight after a restart). */
export class OpenCallsLog {
  private readonly file: JournalFile;

  /** `live`: the calls in flight, those whose record is not yet durable included. */
  constructor(
    dataDir: string,
    private readonly clock: Clock,
    live: () => Iterable<CdrDraft>,
  ) {
    this.file = new JournalFile({
      path: path.join(dataDir, OPEN_CALLS_FILE),
      clock,
      checkpoint: () => [JSON.stringify({ beat: clock.now() }), ...[...live()].map((d) => JSON.stringify({ open: d }))],
    });
    rmSync(path.join(dataDir, LEGACY_OPEN_FILE), { force: true });
  }

  opened(draft: CdrDraft): void {
    this.file.append(JSON.stringify({ open: draft }));
  }

  /** Only once the call's record is durable: a crash before then still finds the call open. */
  closed(id: string): void {
    this.file.append(JSON.stringify({ closed: id }));
  }

  beat(): void {
    this.file.append(JSON.stringify({ beat: this.clock.now() }));
  }

  flush(): Promise<void> {
    return this.file.flush();
  }

  stop(): void {
    this.file.stop();
  }
}
