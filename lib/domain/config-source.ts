import type { MappingGatewayView } from "@/lib/domain/mapping-gateway";
import type { ParameterValue } from "@/lib/domain/parameter-catalog";
import type { RoutingGatewayView } from "@/lib/domain/routing-gateway";

// The console's own view of a configuration: what operators edit, with each password only as
// the encrypted value the console stores. Kept beside every snapshot, it gives the pending diff,
// discard and rollback without ever decrypting a secret.

type Stored<V> = Omit<V, "createdAt" | "updatedAt" | "hasPassword"> & { passwordCipher: string | null };
export type SourceMappingGateway = Stored<MappingGatewayView>;
export type SourceRoutingGateway = Stored<RoutingGatewayView>;

export type ConfigSource = {
  parameters: Record<string, ParameterValue>;
  mappingGateways: SourceMappingGateway[];
  routingGateways: SourceRoutingGateway[];
};

export type FieldChange = { field: string; from: unknown; to: unknown };
export type ConfigChange = {
  entity: "parameter" | "mapping-gateway" | "routing-gateway";
  action: "added" | "changed" | "removed";
  id: string;
  name: string;
  fields: FieldChange[];
};

const IGNORED = new Set(["id", "version"]);
const SECRET_SHOWN = "(changed)";

// Equal as JSON values (keys in the same order), without serialising: a reload of 30,000 gateways
// compares some 600,000 fields (issue 7).
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
  const keys = Object.keys(x);
  const other = Object.keys(y);
  return keys.length === other.length && keys.every((k, i) => k === other[i] && sameValue(x[k], y[k]));
}

function fieldChanges(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): FieldChange[] {
  const keys = Object.keys(after ?? {});
  for (const key of Object.keys(before ?? {})) if (!after || !(key in after)) keys.push(key);
  const changes: FieldChange[] = [];
  for (const key of keys) {
    if (IGNORED.has(key)) continue;
    const from = before?.[key];
    const to = after?.[key];
    if (sameValue(from, to)) continue;
    // Secrets are never shown, not even encrypted: only that they changed.
    if (key === "passwordCipher")
      changes.push({ field: "password", from: from ? "set" : "none", to: to ? SECRET_SHOWN : "none" });
    else changes.push({ field: key, from: from ?? null, to: to ?? null });
  }
  return changes;
}

function diffEntities<T extends { id: string; name: string }>(
  entity: ConfigChange["entity"],
  active: T[],
  current: T[],
): ConfigChange[] {
  const activeById = new Map(active.map((g) => [g.id, g]));
  const currentIds = new Set(current.map((g) => g.id));
  const changes: ConfigChange[] = [];
  for (const g of current) {
    const before = activeById.get(g.id);
    const fields = fieldChanges(before as Record<string, unknown> | undefined, g as unknown as Record<string, unknown>);
    if (!before) changes.push({ entity, action: "added", id: g.id, name: g.name, fields });
    else if (fields.length > 0) changes.push({ entity, action: "changed", id: g.id, name: g.name, fields });
  }
  for (const g of active) {
    if (!currentIds.has(g.id))
      changes.push({
        entity,
        action: "removed",
        id: g.id,
        name: g.name,
        fields: fieldChanges(g as unknown as Record<string, unknown>, undefined),
      });
  }
  return changes;
}

/** Everything that differs between what runs (`active`) and what is saved (`current`). */
export function diffConfig(active: ConfigSource, current: ConfigSource): ConfigChange[] {
  const parameters: ConfigChange[] = Object.keys({ ...active.parameters, ...current.parameters })
    .filter((name) => active.parameters[name] !== current.parameters[name])
    .map((name) => ({
      entity: "parameter",
      action: "changed",
      id: name,
      name,
      fields: [{ field: "value", from: active.parameters[name] ?? null, to: current.parameters[name] ?? null }],
    }));
  return [
    ...parameters,
    ...diffEntities("mapping-gateway", active.mappingGateways, current.mappingGateways),
    ...diffEntities("routing-gateway", active.routingGateways, current.routingGateways),
  ];
}
