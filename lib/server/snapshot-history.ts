import { db } from "@/lib/server/db";
import { sourceOf } from "@/lib/server/config-snapshots";
import { emptySource } from "@/lib/server/config-source";
import { diffConfig, type ConfigChange } from "@/lib/domain/config-source";
import type { ServiceResult } from "@/lib/server/http";

/** Versions are SQLite integers (Prisma Int, 32 bits): anything else in a URL is refused before a query. */
const MAX_VERSION = 2_147_483_647;

/** A version from a URL path: a whole number, 0 to MAX_VERSION, or a 400 with why. */
export function parseSnapshotVersion(text: string): ServiceResult<number> {
  const version = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (Number.isInteger(version) && version <= MAX_VERSION) return { ok: true, value: version };
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return {
    ok: false,
    code: "validation",
    message: `version must be a whole number from 0 to ${MAX_VERSION}, not "${shown}"`,
    issues: [{ path: "version", message: `must be a whole number from 0 to ${MAX_VERSION}` }],
  };
}

export type SnapshotSummary = {
  version: number;
  hash: string;
  createdBy: string;
  createdAt: string;
  outcome: string;
  reasons: string[];
  tookMs: number | null;
  rollbackOf: number | null;
};

const select = {
  version: true,
  hash: true,
  createdBy: true,
  createdAt: true,
  outcome: true,
  reasons: true,
  tookMs: true,
  rollbackOf: true,
} as const;
type Row = {
  version: number;
  hash: string;
  createdBy: string;
  createdAt: Date;
  outcome: string;
  reasons: string | null;
  tookMs: number | null;
  rollbackOf: number | null;
};

function summary(r: Row): SnapshotSummary {
  return { ...r, createdAt: r.createdAt.toISOString(), reasons: r.reasons ? (JSON.parse(r.reasons) as string[]) : [] };
}

export async function listSnapshots(
  page: number,
  pageSize: number,
): Promise<{ items: SnapshotSummary[]; total: number; page: number; pageSize: number }> {
  const [rows, total] = await Promise.all([
    db.configSnapshot.findMany({ orderBy: { version: "desc" }, skip: (page - 1) * pageSize, take: pageSize, select }),
    db.configSnapshot.count(),
  ]);
  return { items: rows.map(summary), total, page, pageSize };
}

/** One snapshot with what it changed against the applied snapshot before it. */
export async function getSnapshot(
  version: number,
): Promise<ServiceResult<SnapshotSummary & { changes: ConfigChange[] }>> {
  const row = await db.configSnapshot.findUnique({ where: { version }, select: { ...select, sourceJson: true } });
  if (!row) return { ok: false, code: "not_found", message: `No snapshot version ${version}` };
  const previous = await db.configSnapshot.findFirst({
    where: { version: { lt: version }, outcome: "applied" },
    orderBy: { version: "desc" },
    select: { sourceJson: true },
  });
  const changes = diffConfig(previous ? sourceOf(previous) : emptySource(), sourceOf(row));
  const { sourceJson: _s, ...rest } = row;
  return { ok: true, value: { ...summary(rest), changes } };
}

export async function getSnapshotSource(version: number) {
  const row = await db.configSnapshot.findUnique({ where: { version }, select: { sourceJson: true, outcome: true } });
  return row ? { source: sourceOf(row), outcome: row.outcome } : null;
}
