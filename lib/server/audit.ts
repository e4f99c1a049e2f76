import type { Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/server/db";
import type { Actor } from "@/lib/server/principal";
import type { AuditEntryView } from "@/lib/domain/audit";

type Tx = Prisma.TransactionClient;

const SECRET_KEYS = /pass(word)?|secret|token|hash|ha1/i;

/** Replaces every secret-looking field with a marker; the audit log never holds a secret. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) =>
        SECRET_KEYS.test(k) && v !== null && v !== undefined && v !== "" ? [k, "••••••"] : [k, maskSecrets(v)],
      ),
    );
  }
  return value;
}

export type AuditRecord = {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
};

export async function recordAudit(tx: Tx | typeof db, actor: Actor, entry: AuditRecord): Promise<void> {
  await tx.auditEntry.create({
    data: {
      actor: actor.actor,
      via: actor.via,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: entry.before === undefined ? null : JSON.stringify(maskSecrets(entry.before)),
      after: entry.after === undefined ? null : JSON.stringify(maskSecrets(entry.after)),
    },
  });
}

export type AuditQuery = {
  actor?: string;
  action?: string;
  entityType?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
};

export async function listAudit(
  q: AuditQuery,
): Promise<{ items: AuditEntryView[]; total: number; page: number; pageSize: number }> {
  const where: Prisma.AuditEntryWhereInput = {
    ...(q.actor ? { actor: { contains: q.actor } } : {}),
    ...(q.action ? { action: { contains: q.action } } : {}),
    ...(q.entityType ? { entityType: q.entityType } : {}),
    ...(q.from || q.to
      ? { at: { ...(q.from ? { gte: new Date(q.from) } : {}), ...(q.to ? { lte: new Date(q.to) } : {}) } }
      : {}),
  };
  const [rows, total] = await Promise.all([
    db.auditEntry.findMany({ where, orderBy: { id: "desc" }, skip: (q.page - 1) * q.pageSize, take: q.pageSize }),
    db.auditEntry.count({ where }),
  ]);
  const items = rows.map((r) => ({
    ...r,
    at: r.at.toISOString(),
    before: r.before === null ? null : JSON.parse(r.before),
    after: r.after === null ? null : JSON.parse(r.after),
  }));
  return { items, total, page: q.page, pageSize: q.pageSize };
}
