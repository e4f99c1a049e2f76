import { lookup } from "node:dns/promises";
import type { TraceRecord } from "@/lib/domain/control-api";
import { canonicalIp } from "@/lib/domain/gateway-fields";
import { digestUsernameOf } from "@/lib/domain/mapping-gateway";
import {
  cseqMethodOf,
  matchesTrace,
  traceFiltersSchema,
  type TraceFilters,
  type TraceMessage,
  type TraceSessionView,
  type TraceStart,
} from "@/lib/domain/trace";
import type { ServiceResult } from "@/lib/server/http";
import { recordAudit } from "@/lib/server/audit";
import { db } from "@/lib/server/db";
import { engineTargets, fetchEngineStatus, fetchTrace } from "@/lib/server/engine-client";
import type { Actor } from "@/lib/server/principal";

// Debug trace sessions (issue 10). The engine keeps every message in a bounded ring; while a trace
// runs, the collector reads the ring with a cursor and stores the messages that match the trace's
// filters, so that a trace outlives the ring and can be watched by several operators and exported.

const PAGE = 5000;
type SessionRow = Awaited<ReturnType<typeof db.traceSession.findFirstOrThrow>>;

function view(row: SessionRow, messageCount: number, now = Date.now()): TraceSessionView {
  return {
    id: row.id,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    stoppedAt: row.stoppedAt?.toISOString() ?? null,
    stoppedBy: row.stoppedBy,
    description: row.description,
    active: row.stoppedAt === null && row.endsAt.getTime() > now,
    lost: row.lost,
    messageCount,
    sipAddress: row.sipAddress,
    sipPort: row.sipPort,
  };
}

/** A host name resolved to its addresses; an IP address as it is. */
async function addressesOf(host: string | null): Promise<string[]> {
  if (!host) return [];
  const ip = canonicalIp(host);
  if (ip) return [ip];
  try {
    return (await lookup(host, { all: true })).map((a) => canonicalIp(a.address) ?? a.address);
  } catch (error) {
    console.error(
      `console: trace filter: ${host} does not resolve (${(error as Error).message}); matching by username only`,
    );
    return [];
  }
}

/** The filters in engine terms (gateways become their addresses and usernames), and in words. */
async function resolveFilters(
  input: TraceStart,
): Promise<ServiceResult<{ filters: TraceFilters; description: string }>> {
  const filters: TraceFilters = {
    address: input.address,
    number: input.number,
    callId: input.callId,
    method: input.method,
  };
  const words: string[] = [];
  if (input.mappingGatewayId) {
    const g = await db.mappingGateway.findUnique({ where: { id: input.mappingGatewayId } });
    if (!g) return { ok: false, code: "validation", message: `No mapping gateway ${input.mappingGatewayId}` };
    filters.addresses = JSON.parse(g.ipAddresses) as string[];
    filters.usernames = g.authMode === "password" ? [digestUsernameOf(g)] : [];
    words.push(`mapping gateway ${g.name}`);
  }
  if (input.routingGatewayId) {
    const g = await db.routingGateway.findUnique({ where: { id: input.routingGatewayId } });
    if (!g) return { ok: false, code: "validation", message: `No routing gateway ${input.routingGatewayId}` };
    filters.addresses = [...(filters.addresses ?? []), ...(await addressesOf(g.address))];
    filters.usernames = [...(filters.usernames ?? []), ...(g.authUsername ? [g.authUsername] : [])];
    words.push(`routing gateway ${g.name}`);
  }
  if (input.address) words.push(`address ${input.address}`);
  if (input.number) words.push(`number ${input.number}`);
  if (input.callId) words.push(`Call-ID ${input.callId}`);
  if (input.method) words.push(`method ${input.method}`);
  return { ok: true, value: { filters, description: words.length > 0 ? words.join(", ") : "all messages" } };
}

export async function startTrace(actor: Actor, input: TraceStart): Promise<ServiceResult<TraceSessionView>> {
  const resolved = await resolveFilters(input);
  if (!resolved.ok) return resolved;
  const target = engineTargets()[0];
  // Start from the engine's latest message: a trace shows what happens from now on.
  const [status, latest] = await Promise.all([fetchEngineStatus(target), fetchTrace(target, { limit: 1 })]);
  if (!status.ok || !latest.ok)
    return {
      ok: false,
      code: "rejected",
      message: `The engine cannot be traced: ${status.ok ? (latest as { error: string }).error : status.error}`,
    };
  const udp = status.value.listeners.find((l) => l.transport === "udp");
  const row = await db.$transaction(async (tx) => {
    const created = await tx.traceSession.create({
      data: {
        createdBy: actor.actor,
        endsAt: new Date(Date.now() + input.minutes * 60_000),
        filters: JSON.stringify(resolved.value.filters),
        description: resolved.value.description,
        engineStartedAt: status.value.startedAt,
        cursor: latest.value.items.at(-1)?.seq ?? 0,
        sipAddress: udp?.host ?? null,
        sipPort: udp?.port ?? null,
      },
    });
    await recordAudit(tx, actor, {
      action: "trace.start",
      entityType: "trace",
      entityId: created.id,
      after: { minutes: input.minutes, filters: resolved.value.description },
    });
    return created;
  });
  ensureTraceCollector();
  return { ok: true, value: view(row, 0) };
}

export async function stopTrace(actor: Actor, id: string): Promise<ServiceResult<TraceSessionView>> {
  const row = await db.traceSession.findUnique({ where: { id } });
  if (!row) return { ok: false, code: "not_found", message: `No trace ${id}` };
  if (!view(row, 0).active) return { ok: false, code: "conflict", message: "This trace has already ended" };
  await collectOnce();
  const stopped = await db.$transaction(async (tx) => {
    const updated = await tx.traceSession.update({
      where: { id },
      data: { stoppedAt: new Date(), stoppedBy: actor.actor },
    });
    await recordAudit(tx, actor, { action: "trace.stop", entityType: "trace", entityId: id });
    return updated;
  });
  return { ok: true, value: view(stopped, await db.traceMessage.count({ where: { sessionId: id } })) };
}

export async function listTraces(): Promise<TraceSessionView[]> {
  const rows = await db.traceSession.findMany({
    orderBy: { createdAt: "desc" },
    take: 100,
    include: { _count: { select: { messages: true } } },
  });
  return rows.map((r) => view(r, r._count.messages));
}

export async function getTrace(id: string): Promise<TraceSessionView | null> {
  const row = await db.traceSession.findUnique({ where: { id }, include: { _count: { select: { messages: true } } } });
  return row ? view(row, row._count.messages) : null;
}

const messageView = (m: Awaited<ReturnType<typeof db.traceMessage.findFirstOrThrow>>): TraceMessage => ({
  id: m.id,
  seq: m.seq,
  at: m.at.toISOString(),
  direction: m.direction as "in" | "out",
  transport: m.transport,
  remoteAddress: m.remoteAddress,
  remotePort: m.remotePort,
  method: m.method,
  status: m.status,
  cseqMethod: m.cseqMethod,
  callId: m.callId,
  text: m.text,
});

/** A trace's messages after the one with id `afterId`, oldest first. */
export async function traceMessages(sessionId: string, afterId = 0, limit = 5000): Promise<TraceMessage[]> {
  const rows = await db.traceMessage.findMany({
    where: { sessionId, id: { gt: afterId } },
    orderBy: { id: "asc" },
    take: limit,
  });
  return rows.map(messageView);
}

/** What every trace captured since `since`, oldest first. */
export async function messagesSince(since: Date, limit: number): Promise<TraceMessage[]> {
  const rows = await db.traceMessage.findMany({ where: { at: { gt: since } }, orderBy: { id: "asc" }, take: limit });
  return rows.map(messageView);
}

/** An engine trace record as a trace message; `id` is its sequence number until it is stored. */
export const fromRecord = (r: TraceRecord, id = r.seq): TraceMessage => ({
  id,
  seq: r.seq,
  at: r.at,
  direction: r.direction,
  transport: r.transport,
  remoteAddress: r.remoteAddress,
  remotePort: r.remotePort,
  method: r.method,
  status: r.status,
  cseqMethod: r.method ?? cseqMethodOf(r.text),
  callId: r.callId,
  text: r.text,
});

/**
 * Everything said under one Call-ID: what traces stored, or else what the engine's ring still holds
 * (so a call is readable even when nobody started a trace, as long as the ring has not moved on).
 */
export async function messagesByCallId(
  callId: string,
): Promise<{ source: "trace" | "engine"; messages: TraceMessage[] }> {
  const stored = await db.traceMessage.findMany({ where: { callId }, orderBy: { id: "asc" }, take: 5000 });
  if (stored.length > 0) {
    // One message may be in several traces: keep one copy of each engine message.
    const seen = new Set<string>();
    const unique = stored.filter(
      (m) => !seen.has(`${m.seq}@${m.at.getTime()}`) && seen.add(`${m.seq}@${m.at.getTime()}`),
    );
    return { source: "trace", messages: unique.map(messageView) };
  }
  const live = await fetchTrace(engineTargets()[0], { callId, limit: 5000 });
  if (!live.ok) throw new Error(live.error);
  return { source: "engine", messages: live.value.items.map((r) => fromRecord(r)) };
}

/** Call-IDs (of those given) that some trace captured: the CDR screen links them to their ladder. */
export async function tracedCallIds(callIds: string[]): Promise<Set<string>> {
  if (callIds.length === 0) return new Set();
  const rows = await db.traceMessage.findMany({
    where: { callId: { in: callIds } },
    select: { callId: true },
    distinct: ["callId"],
  });
  return new Set(rows.map((r) => r.callId as string));
}

/** Call-IDs each running trace has matched so far: later messages of the same call follow them. */
const followed = new Map<string, Set<string>>();

type Reader = { session: SessionRow; filters: TraceFilters; cursor: number; lost: number; calls: Set<string> };

async function readerFor(session: SessionRow, engineStartedAt: string): Promise<Reader> {
  let calls = followed.get(session.id);
  if (!calls) {
    const known = await db.traceMessage.findMany({
      where: { sessionId: session.id, callId: { not: null } },
      select: { callId: true },
      distinct: ["callId"],
    });
    calls = new Set(known.map((m) => m.callId as string));
    followed.set(session.id, calls);
  }
  // A restarted engine numbers its messages from 1 again
  const cursor = session.engineStartedAt === engineStartedAt ? session.cursor : 0;
  return { session, filters: traceFiltersSchema.parse(JSON.parse(session.filters)), cursor, lost: session.lost, calls };
}

/** One trace's share of a page read from the ring: what it matches, and where its cursor moves. */
function take(r: Reader, page: TraceRecord[], engineStartedAt: string) {
  const mine = page.filter((m) => m.seq > r.cursor);
  // Sequence numbers are contiguous in the ring: a gap after the cursor is what it overwrote unread
  if (mine.length > 0 && mine[0].seq > r.cursor + 1) r.lost += mine[0].seq - r.cursor - 1;
  const matched = mine
    .filter((m) => Date.parse(m.at) <= r.session.endsAt.getTime())
    .filter((m) => {
      if (m.callId !== null && r.calls.has(m.callId)) return true;
      if (!matchesTrace(r.filters, m)) return false;
      if (m.callId !== null) r.calls.add(m.callId);
      return true;
    });
  r.cursor = mine.at(-1)?.seq ?? r.cursor;
  return [
    db.traceMessage.createMany({
      data: matched.map((m) => {
        const { id: _id, ...message } = fromRecord(m);
        return { ...message, at: new Date(m.at), sessionId: r.session.id };
      }),
    }),
    db.traceSession.update({ where: { id: r.session.id }, data: { cursor: r.cursor, lost: r.lost, engineStartedAt } }),
  ];
}

let collecting: Promise<void> | null = null;

/** Reads the engine's ring once for every running trace; concurrent callers share one pass. */
export function collectOnce(): Promise<void> {
  collecting ??= (async () => {
    try {
      const sessions = await db.traceSession.findMany({
        where: { stoppedAt: null, endsAt: { gt: new Date(Date.now() - 2000) } },
      });
      for (const id of followed.keys()) if (!sessions.some((s) => s.id === id)) followed.delete(id);
      if (sessions.length === 0) return;
      const target = engineTargets()[0];
      const status = await fetchEngineStatus(target);
      if (!status.ok) throw new Error(status.error);
      const engineStartedAt = status.value.startedAt;
      const readers = await Promise.all(sessions.map((session) => readerFor(session, engineStartedAt)));
      let cursor = Math.min(...readers.map((r) => r.cursor));
      for (;;) {
        const page = await fetchTrace(target, { sinceSeq: cursor, limit: PAGE });
        if (!page.ok) throw new Error(page.error);
        await db.$transaction(readers.flatMap((r) => take(r, page.value.items, engineStartedAt)));
        cursor = page.value.items.at(-1)?.seq ?? cursor;
        if (page.value.items.length < PAGE) return;
      }
    } finally {
      collecting = null;
    }
  })();
  return collecting;
}

const holder = globalThis as unknown as { traceCollector?: NodeJS.Timeout };

/** Twice a second while the console runs: traces see messages within about half a second. */
export function ensureTraceCollector(intervalMs = 500): void {
  if (holder.traceCollector) return;
  let lastError = "";
  holder.traceCollector = setInterval(() => {
    collectOnce().then(
      () => {
        lastError = "";
      },
      (error: Error) => {
        // Said once per distinct failure, not twice a second
        if (error.message !== lastError) console.error(`console: trace collection failed: ${error.message}`);
        lastError = error.message;
      },
    );
  }, intervalMs);
  holder.traceCollector.unref?.();
}
