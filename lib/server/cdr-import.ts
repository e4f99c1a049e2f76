import { db } from "@/lib/server/db";
import { env } from "@/lib/server/env";
import { engineTargets, fetchCdrs, type EngineTarget } from "@/lib/server/engine-client";
import type { Cdr } from "@/lib/domain/cdr";

// The console imports each engine's call records with a cursor: records and cursor move in one
// transaction, and a record's key is unique, so a restart on either side loses or doubles nothing.

const BATCH = 1000;

/** A journal record as the console stores it; the carriers tried are kept as JSON text (SQLite has no arrays). */
export function cdrRowOf(engine: string, c: Cdr) {
  return {
    key: `${engine}#${c.id}`,
    engine,
    seq: c.seq,
    callerReceived: c.callerReceived,
    calleeReceived: c.calleeReceived,
    callerSent: c.callerSent,
    calleeSent: c.calleeSent,
    mappingGatewayId: c.mappingGatewayId,
    mappingGatewayName: c.mappingGatewayName,
    routingGatewayId: c.routingGatewayId,
    routingGatewayName: c.routingGatewayName,
    sourceAddress: c.sourceAddress,
    startedAt: new Date(c.startedAt),
    answeredAt: c.answeredAt === null ? null : new Date(c.answeredAt),
    endedAt: new Date(c.endedAt),
    holdSeconds: c.holdSeconds,
    finalCode: c.finalCode,
    finalReason: c.finalReason,
    endedBy: c.endedBy,
    challengesAnswered: c.challengesAnswered,
    illegal: c.illegal,
    configVersion: c.configVersion,
    callId: c.callId,
    attempts: JSON.stringify(c.attempts),
  };
}

/** Imports everything new from one engine; returns how many records were added. */
export async function importCdrs(
  target: EngineTarget,
): Promise<{ ok: true; imported: number } | { ok: false; error: string }> {
  let imported = 0;
  for (;;) {
    const cursor = (await db.cdrCursor.findUnique({ where: { engine: target.url } }))?.lastSeq ?? 0;
    const page = await fetchCdrs(target, cursor, BATCH);
    if (!page.ok) return { ok: false, error: page.error };
    if (page.value.records.length === 0) return { ok: true, imported };
    const rows = page.value.records.map((c) => cdrRowOf(target.url, c));
    await db.$transaction(async (tx) => {
      const existing = new Set(
        (await tx.cdr.findMany({ where: { key: { in: rows.map((r) => r.key) } }, select: { key: true } })).map(
          (r) => r.key,
        ),
      );
      const fresh = rows.filter((r) => !existing.has(r.key));
      if (fresh.length > 0) await tx.cdr.createMany({ data: fresh });
      await tx.cdrCursor.upsert({
        where: { engine: target.url },
        create: { engine: target.url, lastSeq: page.value.next },
        update: { lastSeq: page.value.next },
      });
      imported += fresh.length;
    });
    if (page.value.records.length < BATCH) return { ok: true, imported };
  }
}

/** Records older than CDR_RETENTION_DAYS are purged. */
export async function purgeOldCdrs(now = Date.now()): Promise<number> {
  const { count } = await db.cdr.deleteMany({
    where: { startedAt: { lt: new Date(now - env.CDR_RETENTION_DAYS * 86_400_000) } },
  });
  return count;
}

const holder = globalThis as unknown as { cdrImporter?: NodeJS.Timeout };

/** Every few seconds from start-up: import from each engine, purge old records hourly. */
export function startCdrImporter(intervalMs = 3000): void {
  if (holder.cdrImporter) return;
  let running = false;
  let lastPurge = 0;
  holder.cdrImporter = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      for (const target of engineTargets()) {
        const result = await importCdrs(target);
        if (!result.ok) console.error(`console: call records not imported from ${target.url}: ${result.error}`);
      }
      if (Date.now() - lastPurge > 3_600_000) {
        lastPurge = Date.now();
        const purged = await purgeOldCdrs();
        if (purged > 0) console.log(`console: purged ${purged} call records older than ${env.CDR_RETENTION_DAYS} days`);
      }
    } catch (error) {
      console.error("console: call record import failed", error);
    } finally {
      running = false;
    }
  }, intervalMs);
  holder.cdrImporter.unref();
}
