import { getActiveMeta, getActiveSource } from "@/lib/server/config-snapshots";
import { loadCurrentSource } from "@/lib/server/config-source";
import { diffConfig, type ConfigChange } from "@/lib/domain/config-source";

export type PendingSummary = {
  count: number;
  parameters: number;
  mappingGateways: number;
  routingGateways: number;
  activeVersion: number;
  activeHash: string;
};

/** Saved changes the engine does not run yet, field by field. */
export async function listPendingChanges(): Promise<ConfigChange[]> {
  const [active, current] = await Promise.all([getActiveSource(), loadCurrentSource()]);
  return diffConfig(active, current);
}

/** What the header badge shows. */
export async function summarisePending(): Promise<PendingSummary> {
  const [changes, meta] = await Promise.all([listPendingChanges(), getActiveMeta()]);
  const count = (entity: ConfigChange["entity"]) => changes.filter((c) => c.entity === entity).length;
  return {
    count: changes.length,
    parameters: count("parameter"),
    mappingGateways: count("mapping-gateway"),
    routingGateways: count("routing-gateway"),
    activeVersion: meta.version,
    activeHash: meta.hash,
  };
}
