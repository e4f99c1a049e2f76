import { defaultParameterValues } from "@/lib/domain/parameter-catalog";
import type { ConfigSnapshot } from "@/lib/domain/config-snapshot";
import { hashSnapshotContent } from "@/lib/engine/snapshot-check";

/** Version 0: the catalog defaults and no gateways (DESIGN.md), what an engine runs before any reload. */
export function versionZeroSnapshot(): ConfigSnapshot {
  const content = { parameters: defaultParameterValues(), mappingGateways: [], routingGateways: [] };
  return { version: 0, hash: hashSnapshotContent(content), createdAt: new Date(0).toISOString(), ...content };
}
