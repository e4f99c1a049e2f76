import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync, openSync, fsyncSync, closeSync } from "node:fs";
import path from "node:path";
import { configSnapshotSchema, type ConfigSnapshot } from "@/lib/domain/config-snapshot";

// The engine keeps its last applied snapshot in its data folder (mode 0600: it holds carrier
// passwords) so that a restart comes back with exactly the same configuration.

const FILE = "active-snapshot.json";

export type LoadedSnapshot = { ok: true; snapshot: ConfigSnapshot; appliedAt: string } | { ok: false; reason: string };

export function loadActiveSnapshot(dataDir: string): LoadedSnapshot | null {
  const file = path.join(dataDir, FILE);
  if (!existsSync(file)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return { ok: false, reason: `${file} is not valid JSON: ${(error as Error).message}` };
  }
  const wrapper = raw as { appliedAt?: unknown; snapshot?: unknown };
  const parsed = configSnapshotSchema.safeParse(wrapper.snapshot);
  if (!parsed.success || typeof wrapper.appliedAt !== "string") return { ok: false, reason: `${file} does not hold a valid snapshot` };
  return { ok: true, snapshot: parsed.data, appliedAt: wrapper.appliedAt };
}

/**
 * Atomic: written to a temporary file, flushed, then renamed over the old one. `snapshotJson` is
 * the snapshot as JSON text: the body the console sent, written as received rather than
 * serialised again (a reload of 30,000 gateways is 13 MB).
 */
export function saveActiveSnapshot(dataDir: string, snapshotJson: string, appliedAt: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, FILE);
  const temporary = `${file}.tmp`;
  const fd = openSync(temporary, "w", 0o600);
  try {
    writeFileSync(fd, `{"appliedAt":${JSON.stringify(appliedAt)},"snapshot":`);
    writeFileSync(fd, snapshotJson);
    writeFileSync(fd, "}");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}
