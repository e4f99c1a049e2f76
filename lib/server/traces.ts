import { lookup } from "node:dns/promises";
import type { TraceRecord } from "@/lib/domain/control-api";
import { canonicalIp } from "@/lib/domain/gateway-fields";
import { digestUsernameOf } from "@/lib/domain/mapping-gateway";
import {
  cseqMethodOf, matchesTrace, traceFiltersSchema, type TraceFilters, type TraceMessage, type TraceSessionView, type TraceStart,
} from "@/lib/domain/trace";
import type { ServiceResult } from "@/lib/server/http";
import { recordAudit } from "@/lib/server/audit";
import { db } from "@/lib/server/db";
import { engineTargets, fetchEngineStatus, fetchTrace, type EngineTarget } from "@/lib/server/engine-client";
import type { Actor } from "@/lib/server/principal";

// Debug trace sessions (issue 10). The engine keeps every message in a bounded ring; while a trace
// runs, the collector reads the ring with a cursor and stores the messages that match the trace's
// filters, so that a trace outlives the ring and can be watched by several operators and exported.

const PAGE = 5000;
type SessionRow = Awaited<ReturnType<typeof db.traceSession.findFirstOrThrow>>;

function view(row: SessionRow, messageCount: number, now = Date.now()): TraceSessionView {
  return {
    id: row.id, createdBy: row.createdBy, createdAt: row.createdAt.toISOString(), endsAt: row.endsAt.toISOString(),
    stoppedAt: row.stoppedAt?.toISOString() ?? null, stoppedBy: row.stoppedBy, description: row.description,
    active: row.stoppedAt === null && row.endsAt.getTime() > now, lost: row.lost, messageCount, sipAddress: row.sipAddress, sipPort: row.sipPort,
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
    console.error(`console: trace filter: ${host} does not resolve (${(error as Error).message}); matching by username only`);
    return [];
  }
}

/** The filters in engine terms (gateways become their addresses and usernames), and in words. */
async function resolveFilters(input: TraceStart): Promise<ServiceResult<{ filters: TraceFilters; description: string }>> {
  const filters: TraceFilters = { address: input.address, number: input.number, callId: input.callId, method: input.method };
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
  if (!status.ok || !latest.ok) return { ok: false, code: "rejected", message: `The engine cannot be traced: ${status.ok ? (latest as { error: string }).error : status.error}` };
  const udp = status.value.listeners.find((l) => l.transport === "udp");
  const row = await db.$transaction(async (tx) => {
    const created = await tx.traceSession.create({
      data: {
        createdBy: actor.actor, endsAt: new Date(Date.now() + input.minutes * 60_000), filters: JSON.stringify(resolved.value.filters), description: resolved.value.description,
        engineStartedAt: status.value.startedAt, cursor: latest.value.items.at(-1)?.seq ?? 0, sipAddress: udp?.host ?? null, sipPort: udp?.port ?? null,
      },
    });
    await recordAudit(tx, actor, { action: "trace.start", entityType: "trace", entityId: created.id, after: { minutes: input.minutes, filters: resolved.value.description } });
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
    const updated = await tx.traceSession.update({ where: { id }, data: { stoppedAt: new Date(), stoppedBy: actor.actor } });
    await recordAudit(tx, actor, { action: "trace.stop", entityType: "trace", entityId: id });
    return updated;
  });
  return { ok: true, value: view(stopped, await db.traceMessage.count({ where: { sessionId: id } })) };
}

export async function listTraces(): Promise<TraceSessionView[]> {
  const rows = await db.traceSession.findMany({ orderBy: { createdAt: "desc" }, take: 100, include: { _count: { select: { messages: true } } } });
  return rows.map((r) => view(r, r._count.messages));
}

export async function getTrace(id: string): Promise<TraceSessionView | null> {
  const row = await db.traceSession.findUnique({ where: { id }, include: { _count: { select: { messages: true } } } });
  return row ? view(row, row._count.messages) : null;
}

const messageView = (m: Awaited<ReturnType<typeof db.traceMessage.findFirstOrThrow>>): TraceMessage => ({
  id: m.id, seq: m.seq, at: m.at.toISOString(), direction: m.direction as "in" | "out", transport: m.transport, remoteAddress: m.remoteAddress,
  remotePort: m.remotePort, method: m.method, status: m.status, cseqMethod: m.cseqMethod, callId: m.callId, text: m.text,
});

/** A trace's messages after the one with id `afterId`, oldest first. */
export async function traceMessages(sessionId: string, afterId = 0, limit = 5000): Promise<TraceMessage[]> {
  const rows = await db.traceMessage.findMany({ where: { sessionId, id: { gt: afterId } }, orderBy: { id: "asc" }, take: limit });
  return rows.map(messageView);
}

const fromRecord = (r: TraceRecord, id = r.seq): TraceMessage => ({
  id, seq: r.seq, at: r.at, direction: r.direction, transport: r.transport, remoteAddress: r.remoteAddress, remotePort: r.remotePort,
  method: r.method, status: r.status, cseqMethod: r.method ?? cseqMethodOf(r.text), callId: r.callId, text: r.text,
});

/**
 * Everything said under one Call-ID: what traces stored, or else what the engine's ring still holds
 * (so a call is readable even when nobody started a trace, as long as the ring has not moved on).
 */
export async function messagesByCallId(callId: string): Promise<{ source: "trace" | "engine"; messages: TraceMessage[] }> {
  const stored = await db.traceMessage.findMany({ where: { callId }, orderBy: { id: "asc" }, take: 5000 });
  if (stored.length > 0) {
    // One message may be in several traces: keep one copy of each engine message.
    const seen = new Set<string>();
    const unique = stored.filter((m) => !seen.has(`${m.seq}@${m.at.getTime()}`) && seen.add(`${m.seq}@${m.at.getTime()}`));
    return { source: "trace", messages: unique.map(messageView) };
  }
  const live = await fetchTrace(engineTargets()[0], { callId, limit: 5000 });
  if (!live.ok) throw new Error(live.error);
  return { source: "engine", messages: live.value.items.map((r) => fromRecord(r)) };
}

/** Call-IDs (of those given) that some trace captured: the CDR screen links them to their ladder. */
export async function tracedCallIds(callIds: string[]): Promise<Set<string>> {
  if (callIds.length === 0) return new Set();
  const rows = await db.traceMessage.findMany({ where: { callId: { in: callIds } }, select: { callId: true }, distinct: ["callId"] });
  return new Set(rows.map((r) => r.callId as string));
}

/** Call-IDs each running trace has matched so far: later messages of the same call follow them. */
const followed = new Map<string, Set<string>>();

async function collectSession(target: EngineTarget, session: SessionRow, engineStartedAt: string): Promise<void> {
  const filters = traceFiltersSchema.parse(JSON.parse(session.filters));
  let cursor = session.engineStartedAt === engineStartedAt ? session.cursor : 0;
  let lost = session.lost;
  let calls = followed.get(session.id);
  if (!calls) {
    const known = await db.traceMessage.findMany({ where: { sessionId: session.id, callId: { not: null } }, select: { callId: true }, distinct: ["callId"] });
    calls = new Set(known.map((m) => m.callId as string));
    followed.set(session.id, calls);
  }
  for (;;) {
    const page = await fetchTrace(target, { sinceSeq: cursor, limit: PAGE });
    if (!page.ok) throw new Error(page.error);
    const items = page.value.items.filter((r) => Date.parse(r.at) <= session.endsAt.getTime());
    if (items.length > 0 && items[0].seq > cursor + 1) lost += items[0].seq - cursor - 1;
    const matched = items.filter((r) => {
      if (r.callId !== null && calls.has(r.callId)) return true;
      if (!matchesTrace(filters, r)) return false;
      if (r.callId !== null) calls.add(r.callId);
      return true;
    });
    const next = page.value.items.at(-1)?.seq ?? cursor;
    await db.$transaction([
      db.traceMessage.createMany({ data: matched.map((r) => { const { id: _id, ...m } = fromRecord(r); return { ...m, at: new Date(r.at), sessionId: session.id }; }) }),
      db.traceSession.update({ where: { id: session.id }, data: { cursor: next, lost, engineStartedAt } }),
    ]);
    cursor = next;
    if (page.value.items.length < PAGE) return;
  }
}

let collecting: Promise<void> | null = null;

/** Reads the engine for every running trace; concurrent callers share one pass. */
export function collectOnce(): Promise<void> {
  collecting ??= (async () => {
    try {
      const sessions = await db.traceSession.findMany({ where: { stoppedAt: null, endsAt: { gt: new Date(Date.now() - 2000) } } });
      for (const id of followed.keys()) if (!sessions.some((s) => s.id === id)) followed.delete(id);
      if (sessions.length === 0) return;
      const target = engineTargets()[0];
      const status = await fetchEngineStatus(target);
      if (!status.ok) throw new Error(status.error);
      for (const session of sessions) await collectSession(target, session, status.value.startedAt);
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
      () => { lastError = ""; },
      (error: Error) => {
        // Said once per distinct failure, not twice a second
        if (error.message !== lastError) console.error(`console: trace collection failed: ${error.message}`);
        lastError = error.message;
      },
    );
  }, intervalMs);
  holder.traceCollector.unref?.();
}
