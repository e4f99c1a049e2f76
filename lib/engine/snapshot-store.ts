import {
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
  existsSync,
  openSync,
  fsyncSync,
  closeSync,
} from "node:fs";
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
  if (!parsed.success || typeof wrapper.appliedAt !== "string")
    return { ok: false, reason: `${file} does not hold a valid snapshot` };
  return { ok: true, snapshot: parsed.data, appliedAt: wrapper.appliedAt };
}

/**
 * Atomic: written to a temporary file, flushed, then renamed over the old one. The content is
 * written as the canonical pieces the check hashed (13 MB with 30,000 gateways), not serialised
 * again; its opening brace is the snapshot's, so version, hash and creation time go in front of
 * its first key.
 */
export function saveActiveSnapshot(
  dataDir: string,
  snapshot: Pick<ConfigSnapshot, "version" | "hash" | "createdAt">,
  contentChunks: readonly string[],
  appliedAt: string,
): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, FILE);
  const temporary = `${file}.tmp`;
  const head = { createdAt: snapshot.createdAt, hash: snapshot.hash, version: snapshot.version };
  const fd = openSync(temporary, "w", 0o600);
  try {
    writeFileSync(fd, `{"appliedAt":${JSON.stringify(appliedAt)},"snapshot":${JSON.stringify(head).slice(0, -1)},`);
    contentChunks.forEach((chunk, i) => writeFileSync(fd, i === 0 ? chunk.slice(1) : chunk));
    writeFileSync(fd, "}");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}
