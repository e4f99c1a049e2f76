import path from "node:path";
import { z } from "zod";
import type { Clock } from "@/lib/engine/clock";
import { JournalFile, readJournalLines } from "@/lib/engine/journal-file";

// The dialog journal (issue 18, DESIGN.md "the engine survives its own restart"): every call's
// dialog events as JSON lines in a journal file (journal-file.ts: batched off the SIP path, synced
// within 200 ms, rewritten as a checkpoint of the calls still live when it grows).

export const DIALOG_JOURNAL_FILE = "dialogs.jsonl";

const remoteSchema = z.object({
  transport: z.enum(["udp", "tcp"]),
  address: z.string(),
  port: z.number().int(),
});
const legSchema = z.object({
  callId: z.string(),
  localTag: z.string(),
  localHeader: z.string(),
  remoteTag: z.string().nullable(),
  remoteHeader: z.string(),
  remoteTarget: z.string(),
  routeSet: z.array(z.string()),
  localCSeq: z.number().int(),
  destination: remoteSchema,
});
/** What changes in a leg during a call: its CSeq, and its target on a target refresh (RFC 3261 §12.2). */
const legChangeSchema = legSchema.pick({ localCSeq: true, remoteTarget: true, destination: true });

/**
 * An answered call: both dialogs and the record's fields. The messages that made it (the caller's
 * INVITE, ours to the carrier) are in its setup and attempt events, journaled once each.
 */
export const journaledCallSchema = z.object({
  id: z.string(),
  startedAt: z.number(),
  answeredAt: z.number(),
  mappingGatewayId: z.string(),
  mappingGatewayName: z.string(),
  caller: z.string(),
  callee: z.string(),
  sourceAddress: z.string(),
  configVersion: z.number().int(),
  a: legSchema,
  b: legSchema,
  routingGateway: z.object({ id: z.string(), name: z.string(), kind: z.enum(["static", "dynamic", "register-out"]) }),
  target: remoteSchema,
  challengesAnswered: z.number().int(),
  attempts: z.array(z.unknown()),
  /** RFC 4028 session interval of the last 2xx, in seconds. */
  sessionInterval: z.number().nullable(),
});
export type JournaledCall = z.infer<typeof journaledCallSchema>;

const eventSchema = z.discriminatedUnion("t", [
  /** A call is being set up: the caller's INVITE, where it came from, the To tag we answer with. */
  z.object({ t: z.literal("setup"), id: z.string(), inbound: z.string(), from: remoteSchema, tag: z.string() }),
  /** Our INVITE to a carrier (the latest: a CANCEL is built from it). */
  z.object({ t: z.literal("attempt"), id: z.string(), invite: z.string(), to: remoteSchema }),
  z.object({ t: z.literal("up"), id: z.string(), call: journaledCallSchema }),
  z.object({ t: z.literal("legs"), id: z.string(), a: legChangeSchema, b: legChangeSchema }),
  z.object({ t: z.literal("interval"), id: z.string(), seconds: z.number().nullable() }),
  z.object({ t: z.literal("end"), id: z.string() }),
]);
export type DialogEvent = z.infer<typeof eventSchema>;

/** A call as the journal left it: answered (`up`), or still being set up (`setup`, `attempt`). */
export type JournaledState = {
  setup?: Extract<DialogEvent, { t: "setup" }>;
  attempt?: Extract<DialogEvent, { t: "attempt" }>;
  up?: JournaledCall;
};

/** The calls the journal says were live: events folded in order; a torn last line is ignored. */
export function readDialogJournal(dataDir: string): Map<string, JournaledState> {
  const live = new Map<string, JournaledState>();
  for (const line of readJournalLines(path.join(dataDir, DIALOG_JOURNAL_FILE))) {
    const event = eventSchema.safeParse(line);
    if (!event.success) continue;
    const parsed = event.data;
    const state = live.get(parsed.id) ?? {};
    if (parsed.t === "end") {
      live.delete(parsed.id);
      continue;
    }
    if (parsed.t === "setup") state.setup = parsed;
    else if (parsed.t === "attempt") state.attempt = parsed;
    else if (parsed.t === "up") state.up = parsed.call;
    else if (state.up && parsed.t === "legs") {
      Object.assign(state.up.a, parsed.a);
      Object.assign(state.up.b, parsed.b);
    } else if (state.up && parsed.t === "interval") state.up.sessionInterval = parsed.seconds;
    live.set(parsed.id, state);
  }
  return live;
}

export type DialogJournalOptions = {
  readonly dataDir: string;
  readonly clock: Clock;
  /** The events that make up the calls live now: the checkpoint a rewritten file starts with. */
  readonly checkpoint: () => DialogEvent[];
  readonly log?: (line: string) => void;
  readonly maxBytes?: number;
};

export class DialogJournal {
  private readonly file: JournalFile;

  constructor(options: DialogJournalOptions) {
    this.file = new JournalFile({
      path: path.join(options.dataDir, DIALOG_JOURNAL_FILE),
      clock: options.clock,
      checkpoint: () => options.checkpoint().map((event) => JSON.stringify(event)),
      log: options.log,
      maxBytes: options.maxBytes,
    });
  }

  append(event: DialogEvent): void {
    this.file.append(JSON.stringify(event));
  }

  /** Resolves when everything appended so far is on disk. */
  flush(): Promise<void> {
    return this.file.flush();
  }

  stop(): void {
    this.file.stop();
  }
}
