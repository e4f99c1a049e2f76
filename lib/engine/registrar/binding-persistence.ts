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
import type { Clock, TimerHandle } from "@/lib/engine/clock";
import type { Registrar } from "@/lib/engine/registrar/binding-store";
import type { StoredBinding } from "@/lib/engine/registrar/binding";
import { parseUri } from "@/lib/engine/sip/uri";

// Registrations survive an engine restart (DESIGN.md): the bindings are written to the data folder
// (mode 0600: addresses and user agents of customers), atomically, at most once per interval.

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
  // A TCP connection does not outlive the process: connectionId is not kept.
  const bindings = store.list().bindings.map((b): StoredBinding => ({
    accountId: b.accountId,
    uri: b.uri,
    callId: b.callId,
    cseq: b.cseq,
    source: { transport: b.source.transport, address: b.source.address, port: b.source.port },
    q: b.q,
    userAgent: b.userAgent,
    registeredAt: b.registeredAt,
    expiresAt: b.expiresAt,
    removeAt: b.removeAt,
  }));
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

export interface PersistenceOptions {
  readonly dataDir: string;
  readonly store: Registrar;
  readonly clock: Clock;
  /** A change is written at most this long after it happened, and never twice within it. */
  readonly intervalSeconds: number;
  /** Told the outcome of every save the timer makes (a full disk is reported, not thrown). */
  readonly onSaved?: (result: SaveResult) => void;
}

/** Saves the bindings after changes, at most once per interval; flush() on SIGTERM. */
export class PersistenceScheduler {
  private timer: TimerHandle | null = null;
  private dirty = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: PersistenceOptions) {
    this.unsubscribe = options.store.onChange(() => this.markDirty());
  }

  private markDirty(): void {
    this.dirty = true;
    if (this.timer !== null) return;
    this.timer = this.options.clock.setTimer(this.options.intervalSeconds * 1000, () => {
      this.timer = null;
      const result = this.save();
      this.options.onSaved?.(result);
      // A failed write is tried again an interval later.
      if (!result.ok) this.markDirty();
    });
  }

  private save(): SaveResult {
    this.dirty = false;
    const result = saveBindings(this.options.dataDir, this.options.store);
    if (!result.ok) this.dirty = true;
    return result;
  }

  /** Writes now if anything changed since the last save; null when there was nothing to write. */
  flush(): SaveResult | null {
    this.timer?.cancel();
    this.timer = null;
    return this.dirty ? this.save() : null;
  }

  /** Stops listening; call flush() first to keep the last changes. */
  stop(): void {
    this.timer?.cancel();
    this.timer = null;
    this.unsubscribe();
  }
}
