import { randomUUID } from "node:crypto";
import { db } from "@/lib/server/db";
import { recordAudit } from "@/lib/server/audit";
import { observeReload } from "@/lib/server/console-metrics";
import { getActiveMeta, getActiveSource, rememberActiveSource, sealSnapshot } from "@/lib/server/config-snapshots";
import { buildEngineSnapshotJson, loadCurrentSource } from "@/lib/server/config-source";
import { engineTargets, fetchEngineStatus, pushSnapshot } from "@/lib/server/engine-client";
import { snapshotDeltaJson, type SnapshotBase } from "@/lib/domain/snapshot-delta";
import { diffConfig } from "@/lib/domain/config-source";
import { crossEntityReasons } from "@/lib/domain/snapshot-rules";
import type { Actor } from "@/lib/server/principal";

// Reload: pending edits become one immutable, versioned snapshot, checked, pushed to every engine,
// and recorded. All or nothing: a refused snapshot changes nothing the engine runs.

export type ReloadStep = "building" | "checking" | "pushing" | "done";
export type ReloadJob = {
  id: string;
  step: ReloadStep;
  outcome: "running" | "applied" | "rejected" | "up-to-date";
  version: number | null;
  hash: string | null;
  changes: number;
  reasons: string[];
  tookMs: number | null;
  engineMs: number | null;
  /** Per engine, in engineTargets() order: the whole snapshot, or only its difference from what the engine ran. */
  sentAs: Array<"whole" | "difference">;
  startedAt: string;
  startedBy: string;
  rollbackOf: number | null;
};

// `appliedBase`: the gateway texts of the last snapshot every engine accepted, the base of the next reload's difference.
const holder = globalThis as unknown as {
  reloadJobs?: Map<string, ReloadJob>;
  reloadRunning?: string | null;
  appliedBase?: SnapshotBase;
};
const jobs = (holder.reloadJobs ??= new Map());

export function getReloadJob(id: string): ReloadJob | undefined {
  return jobs.get(id);
}

/** Starts a reload in the background; null when one is already running (one at a time). */
export function startReload(actor: Actor, rollbackOf: number | null = null): ReloadJob | null {
  if (holder.reloadRunning) return null;
  const job: ReloadJob = {
    id: randomUUID(),
    step: "building",
    outcome: "running",
    version: null,
    hash: null,
    changes: 0,
    reasons: [],
    tookMs: null,
    engineMs: null,
    sentAs: [],
    startedAt: new Date().toISOString(),
    startedBy: actor.actor,
    rollbackOf,
  };
  jobs.set(job.id, job);
  holder.reloadRunning = job.id;
  runReload(job, actor)
    .catch((error: unknown) => {
      console.error(`reload ${job.id} failed`, error);
      Object.assign(job, {
        outcome: "rejected",
        reasons: [`The console failed while reloading: ${(error as Error).message}`],
      });
    })
    .finally(() => {
      job.step = "done";
      holder.reloadRunning = null;
    });
  return job;
}

async function runReload(job: ReloadJob, actor: Actor): Promise<void> {
  const started = performance.now();
  const [current, active, meta] = await Promise.all([loadCurrentSource(), getActiveSource(), getActiveMeta()]);
  const changes = diffConfig(active, current);
  job.changes = changes.length;
  const targets = engineTargets();
  const statuses = await Promise.all(targets.map(fetchEngineStatus));
  const engineCurrent = statuses.every((s) => s.ok && s.value.version === meta.version && s.value.hash === meta.hash);
  if (changes.length === 0 && engineCurrent && job.rollbackOf === null) {
    Object.assign(job, {
      outcome: "up-to-date",
      version: meta.version,
      hash: meta.hash,
      tookMs: Math.round(performance.now() - started),
    });
    return;
  }

  const last = await db.configSnapshot.findFirst({ orderBy: { version: "desc" }, select: { version: true } });
  const version = (last?.version ?? 0) + 1;
  // Serialised once: pushed to every engine and stored (sealed) as the same text.
  const { snapshot, json: snapshotJson, texts } = buildEngineSnapshotJson(current, version, new Date());
  Object.assign(job, { step: "checking", version, hash: snapshot.hash });
  let reasons = crossEntityReasons(snapshot);

  let engineMs: number | null = null;
  if (reasons.length === 0) {
    job.step = "pushing";
    // An engine that runs the base gets only the difference; any other, the whole snapshot.
    // After the console restarts it has no base: the first reload sends the whole snapshot.
    const base = holder.appliedBase;
    const runsBase = statuses.map(
      (s) => base !== undefined && s.ok && s.value.version === base.version && s.value.hash === base.hash,
    );
    const deltaJson = base && runsBase.includes(true) ? snapshotDeltaJson(snapshot, texts, base) : null;
    const payloads = runsBase.map((runs) =>
      deltaJson && runs ? { json: deltaJson, asDelta: true } : { json: snapshotJson, asDelta: false },
    );
    job.sentAs = payloads.map((p) => (p.asDelta ? "difference" : "whole"));
    const results = await Promise.all(targets.map((t, i) => pushSnapshot(t, payloads[i].json, payloads[i].asDelta)));
    reasons = results.flatMap((r, i) =>
      r.ok ? [] : r.reasons.map((reason) => (targets.length > 1 ? `${targets[i].url}: ${reason}` : reason)),
    );
    engineMs = Math.max(0, ...results.map((r) => (r.ok ? r.tookMs : 0)));
  }
  const outcome = reasons.length === 0 ? "applied" : "rejected";
  const tookMs = Math.round(performance.now() - started);
  await db.$transaction(async (tx) => {
    await tx.configSnapshot.create({
      data: {
        version,
        hash: snapshot.hash,
        json: sealSnapshot(snapshotJson),
        sourceJson: JSON.stringify(current),
        createdBy: actor.actor,
        outcome,
        reasons: reasons.length ? JSON.stringify(reasons) : null,
        tookMs,
        rollbackOf: job.rollbackOf,
      },
    });
    await recordAudit(tx, actor, {
      action: job.rollbackOf === null ? "config.reload" : "config.rollback",
      entityType: "config",
      entityId: String(version),
      after: { outcome, version, hash: snapshot.hash, changes: changes.length, reasons, rollbackOf: job.rollbackOf },
    });
  });
  if (outcome === "applied") {
    rememberActiveSource(version, current);
    holder.appliedBase = { version, hash: snapshot.hash, texts };
  }
  Object.assign(job, { outcome, reasons, tookMs, engineMs });
  observeReload(tookMs, outcome);
}
