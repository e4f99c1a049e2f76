import { db } from "@/lib/server/db";
import { getActiveSnapshot } from "@/lib/server/config-snapshots";
import { listParameters } from "@/lib/server/parameters";

type Versioned = { id: string; version: number };

/** Gateways added, changed (any saved edit bumps the version) or removed since the active snapshot. */
function countDiffs(current: Versioned[], active: Versioned[]): number {
  const activeVersions = new Map(active.map((g) => [g.id, g.version]));
  const currentIds = new Set(current.map((g) => g.id));
  const changed = current.filter((g) => activeVersions.get(g.id) !== g.version).length;
  const removed = active.filter((g) => !currentIds.has(g.id)).length;
  return changed + removed;
}

export type PendingSummary = { count: number; parameters: number; mappingGateways: number; routingGateways: number; activeVersion: number; activeHash: string };

/** What the header badge shows: saved changes the engine does not run yet. */
export async function summarisePending(): Promise<PendingSummary> {
  const select = { id: true, version: true } as const;
  const [parameters, active, mapping, routing] = await Promise.all([
    listParameters(),
    getActiveSnapshot(),
    db.mappingGateway.findMany({ select }),
    db.routingGateway.findMany({ select }),
  ]);
  const counts = {
    parameters: parameters.filter((p) => p.pending).length,
    mappingGateways: countDiffs(mapping, active.mappingGateways),
    routingGateways: countDiffs(routing, active.routingGateways),
  };
  return { count: counts.parameters + counts.mappingGateways + counts.routingGateways, ...counts, activeVersion: active.version, activeHash: active.hash };
}
