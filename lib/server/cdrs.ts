import type { Cdr as CdrRow, Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/server/db";
import { stringifyCsv } from "@/lib/server/csv-cells";
import { tracedCallIds } from "@/lib/server/traces";
import { formatCdrAttempts, type CdrListQuery, type CdrTotals } from "@/lib/domain/cdr-query";
import type { CdrAttempt } from "@/lib/domain/cdr";

function where(q: CdrListQuery): Prisma.CdrWhereInput {
  return {
    ...(q.from || q.to
      ? { startedAt: { ...(q.from ? { gte: new Date(q.from) } : {}), ...(q.to ? { lte: new Date(q.to) } : {}) } }
      : {}),
    ...(q.caller ? { callerReceived: { contains: q.caller } } : {}),
    ...(q.callee ? { calleeReceived: { contains: q.callee } } : {}),
    ...(q.gateway
      ? { OR: [{ mappingGatewayName: { contains: q.gateway } }, { routingGatewayName: { contains: q.gateway } }] }
      : {}),
    ...(q.code !== undefined ? { finalCode: q.code } : {}),
  };
}

/** The carriers a record tried, from its JSON column; records imported before issue 17 have "[]". */
export function cdrAttemptsOf(text: string): CdrAttempt[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed as CdrAttempt[]) : [];
  } catch {
    return [];
  }
}

export function toCdrView(r: CdrRow) {
  const { key: _key, engine: _engine, ...rest } = r;
  return {
    ...rest,
    startedAt: r.startedAt.toISOString(),
    answeredAt: r.answeredAt?.toISOString() ?? null,
    endedAt: r.endedAt.toISOString(),
    attempts: cdrAttemptsOf(r.attempts),
  };
}
export type CdrView = ReturnType<typeof toCdrView>;

/** ASR = answered / attempts; ACD = average hold time of answered calls (VOS3000's figures). */
export async function cdrTotals(filter: Prisma.CdrWhereInput): Promise<CdrTotals> {
  const [calls, answered] = await Promise.all([
    db.cdr.count({ where: filter }),
    db.cdr.aggregate({
      where: { ...filter, answeredAt: { not: null } },
      _count: { _all: true },
      _avg: { holdSeconds: true },
    }),
  ]);
  const answeredCount = answered._count._all;
  return {
    calls,
    answered: answeredCount,
    asr: calls ? answeredCount / calls : 0,
    acdSeconds: answered._avg.holdSeconds ?? 0,
  };
}

export async function listCdrs(q: CdrListQuery) {
  const filter = where(q);
  const [rows, totals] = await Promise.all([
    db.cdr.findMany({
      where: filter,
      orderBy: [{ startedAt: "desc" }, { key: "asc" }],
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
    }),
    cdrTotals(filter),
  ]);
  // A record links to its ladder when a debug trace captured the call (issue 10)
  const traced = await tracedCallIds(rows.map((r) => r.callId));
  return {
    items: rows.map((r) => ({ ...toCdrView(r), traced: traced.has(r.callId) })),
    total: totals.calls,
    totals,
    page: q.page,
    pageSize: q.pageSize,
  };
}

const CSV_LIMIT = 200_000;
const COLUMNS = [
  "startedAt",
  "answeredAt",
  "endedAt",
  "holdSeconds",
  "callerReceived",
  "calleeReceived",
  "callerSent",
  "calleeSent",
  "mappingGatewayName",
  "routingGatewayName",
  "sourceAddress",
  "finalCode",
  "finalReason",
  "endedBy",
  "challengesAnswered",
  "illegal",
  "configVersion",
  "callId",
  "attempts",
] as const;

/** One record as CSV cells in COLUMNS order; the carriers tried in one cell ("a 503 Service Unavailable → b 200 OK"). */
export function cdrCsvCells(view: CdrView): string[] {
  return COLUMNS.map((c) => {
    if (c === "attempts") return formatCdrAttempts(view.attempts);
    const v = view[c];
    return v === null ? "" : String(v);
  });
}

/** The same query as CSV, every matching record (not one page); formula-like cells neutralised. */
export async function cdrsAsCsv(q: CdrListQuery): Promise<string> {
  const rows = await db.cdr.findMany({
    where: where(q),
    orderBy: [{ startedAt: "desc" }, { key: "asc" }],
    take: CSV_LIMIT,
  });
  return stringifyCsv([[...COLUMNS], ...rows.map((r) => cdrCsvCells(toCdrView(r)))]);
}

/** Per gateway over the last `hours`: attempts, ASR and ACD, for the gateway lists. */
export async function gatewayCallStats(kind: "mapping" | "routing", hours = 24): Promise<Record<string, CdrTotals>> {
  const field = kind === "mapping" ? "mappingGatewayId" : "routingGatewayId";
  const since = new Date(Date.now() - hours * 3_600_000);
  const [all, answered] = await Promise.all([
    db.cdr.groupBy({ by: [field], where: { startedAt: { gte: since }, illegal: false }, _count: { _all: true } }),
    db.cdr.groupBy({
      by: [field],
      where: { startedAt: { gte: since }, illegal: false, answeredAt: { not: null } },
      _count: { _all: true },
      _avg: { holdSeconds: true },
    }),
  ]);
  const stats: Record<string, CdrTotals> = {};
  for (const g of all) {
    const id = g[field];
    if (!id) continue;
    const a = answered.find((x) => x[field] === id);
    const answeredCount = a?._count._all ?? 0;
    stats[id] = {
      calls: g._count._all,
      answered: answeredCount,
      asr: answeredCount / g._count._all,
      acdSeconds: a?._avg.holdSeconds ?? 0,
    };
  }
  return stats;
}
