import {
  closeSync,
  existsSync,
  fchmodSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import type { Clock } from "@/lib/engine/clock";
import { JournalFile, readJournalLines } from "@/lib/engine/journal-file";
import type { Registrar } from "@/lib/engine/registrar/binding-store";
import type { StoredBinding } from "@/lib/engine/registrar/binding";
import { parseUri } from "@/lib/engine/sip/uri";

// Registrations survive an engine restart (DESIGN.md): every change is appended to a journal in
// the data folder (mode 0600: addresses and user agents of customers), on disk within a second.
// saveBindings/loadBindings are the whole-file format of earlier versions, read once on upgrade.

export const BINDINGS_FILE = "bindings.json";
const FORMAT = "softswitch-bindings/1";

export type SaveResult =
  { readonly ok: true; readonly count: number } | { readonly ok: false; readonly reason: string };
/** loaded: put back; skipped: past their removal; rejected: records that did not make sense. */
export type LoadResult =
  | { readonly ok: true; readonly loaded: number; readonly skipped: number; readonly rejected: number }
  | { readonly ok: false; readonly reason: string };

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Atomic: a temporary file written with mode 0600, flushed, then renamed over the old one. */
export function saveBindings(dataDir: string, store: Registrar): SaveResult {
  const bindings = store.accountIds().flatMap((accountId) => store.stored(accountId));
  const text = JSON.stringify({ format: FORMAT, bindings });
  const file = path.join(dataDir, BINDINGS_FILE);
  const temporary = `${file}.tmp`;
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const fd = openSync(temporary, "w", 0o600);
    try {
      // A temporary file left by a crash keeps its old mode when reopened: set it again.
      fchmodSync(fd, 0o600);
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
    return { ok: true, count: bindings.length };
  } catch (error) {
    return { ok: false, reason: `cannot write ${file}: ${message(error)}` };
  }
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isText = (v: unknown): v is string => typeof v === "string" && v.length > 0;

function readRecord(raw: unknown): StoredBinding | null {
  if (typeof raw !== "object" || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const s = (typeof r.source === "object" && r.source !== null ? r.source : {}) as Record<string, unknown>;
  if (!isText(r.accountId) || !isText(r.uri) || !isText(r.callId) || !isNumber(r.cseq)) return null;
  if ((s.transport !== "udp" && s.transport !== "tcp") || !isText(s.address) || !isNumber(s.port)) return null;
  if (!isNumber(r.registeredAt) || !isNumber(r.expiresAt) || !isNumber(r.removeAt) || r.removeAt < r.expiresAt)
    return null;
  if (r.q !== null && !isNumber(r.q)) return null;
  if (r.userAgent !== null && typeof r.userAgent !== "string") return null;
  if (!parseUri(r.uri).ok) return null;
  return {
    accountId: r.accountId,
    uri: r.uri,
    callId: r.callId,
    cseq: r.cseq,
    source: { transport: s.transport, address: s.address, port: s.port },
    q: r.q,
    userAgent: r.userAgent,
    registeredAt: r.registeredAt,
    expiresAt: r.expiresAt,
    removeAt: r.removeAt,
  };
}

/**
 * Puts the saved bindings back, skipping those whose grace ran out while the engine was down.
 * No file is not an error (first start). The caller then drops accounts the snapshot no longer has.
 */
export function loadBindings(dataDir: string, store: Registrar, now: number): LoadResult {
  const file = path.join(dataDir, BINDINGS_FILE);
  if (!existsSync(file)) return { ok: true, loaded: 0, skipped: 0, rejected: 0 };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return { ok: false, reason: `${file} is not readable JSON: ${message(error)}` };
  }
  const content = raw as { format?: unknown; bindings?: unknown } | null;
  if (
    content === null ||
    typeof content !== "object" ||
    content.format !== FORMAT ||
    !Array.isArray(content.bindings)
  ) {
    return { ok: false, reason: `${file} does not hold saved bindings` };
  }
  let loaded = 0;
  let skipped = 0;
  let rejected = 0;
  for (const item of content.bindings) {
    const binding = readRecord(item);
    if (binding === null) rejected++;
    else if (store.restore(binding, now)) loaded++;
    else skipped++;
  }
  return { ok: true, loaded, skipped, rejected };
}

export const BINDING_JOURNAL_FILE = "bindings.jsonl";

/**
 * Registrations durable within a second (issue 18): every change to an account's bindings is
 * queued, before the REGISTER is answered, as one line with all of that account's bindings (the
 * last line of an account wins), and written through a journal file (journal-file.ts).
 */
export class BindingJournal {
  private readonly file: JournalFile;
  private readonly unsubscribe: () => void;

  constructor(options: { dataDir: string; store: Registrar; clock: Clock; log?: (line: string) => void }) {
    const { store } = options;
    const lineOf = (accountId: string) => JSON.stringify({ account: accountId, bindings: store.stored(accountId) });
    this.file = new JournalFile({
      path: path.join(options.dataDir, BINDING_JOURNAL_FILE),
      clock: options.clock,
      checkpoint: () => store.accountIds().map(lineOf),
      log: options.log,
    });
    this.unsubscribe = store.onChange((accountIds) => {
      for (const accountId of accountIds) this.file.append(lineOf(accountId));
    });
  }

  /** Resolves when every change so far is on disk. */
  flush(): Promise<void> {
    return this.file.flush();
  }

  stop(): void {
    this.unsubscribe();
    this.file.stop();
  }
}

/**
 * Puts back the bindings of the journal (or, after an upgrade, of the older whole-file format),
 * skipping those whose grace ran out while the engine was down.
 */
export function loadBindingJournal(dataDir: string, store: Registrar, now: number): LoadResult {
  const file = path.join(dataDir, BINDING_JOURNAL_FILE);
  if (!existsSync(file)) return loadBindings(dataDir, store, now);
  const accounts = new Map<string, unknown[]>();
  for (const line of readJournalLines(file) as ({ account?: unknown; bindings?: unknown } | null)[]) {
    if (typeof line?.account === "string" && Array.isArray(line.bindings)) accounts.set(line.account, line.bindings);
  }
  let loaded = 0;
  let skipped = 0;
  let rejected = 0;
  for (const bindings of accounts.values()) {
    for (const item of bindings) {
      const binding = readRecord(item);
      if (binding === null) rejected++;
      else if (store.restore(binding, now)) loaded++;
      else skipped++;
    }
  }
  return { ok: true, loaded, skipped, rejected };
}
