import { db } from "@/lib/server/db";
import { recordAudit } from "@/lib/server/audit";
import { getActiveSource } from "@/lib/server/config-snapshots";
import {
  findParameter,
  parameterCatalog,
  type ParameterDefinition,
  type ParameterValue,
} from "@/lib/domain/parameter-catalog";
import { parseParameterValue } from "@/lib/domain/parameter-value";
import type { ParameterView } from "@/lib/domain/parameter-api";
import type { ServiceResult } from "@/lib/server/http";
import type { Actor } from "@/lib/server/principal";

type Row = { name: string; value: string; version: number; updatedAt: Date; updatedBy: string };

function toView(def: ParameterDefinition, row: Row | undefined, active: ParameterValue): ParameterView {
  const value = row ? (JSON.parse(row.value) as ParameterValue) : def.default;
  return {
    name: def.name,
    group: def.group,
    type: def.type,
    scope: def.scope,
    description: def.description,
    vosSection: def.vosSection ?? null,
    unit: "unit" in def ? (def.unit ?? null) : null,
    min: "min" in def ? def.min : null,
    max: "max" in def ? def.max : null,
    values: def.type === "enum" ? [...def.values] : null,
    default: def.default,
    value,
    active,
    pending: value !== active,
    isDefault: value === def.default,
    version: row?.version ?? 0,
    updatedAt: row?.updatedAt.toISOString() ?? null,
    updatedBy: row?.updatedBy ?? null,
  };
}

export async function listParameters(): Promise<ParameterView[]> {
  const [rows, active] = await Promise.all([db.parameter.findMany(), getActiveSource()]);
  const byName = new Map(rows.map((r) => [r.name, r]));
  return parameterCatalog.map((def) => toView(def, byName.get(def.name), active.parameters[def.name]));
}

export async function getParameter(name: string): Promise<ServiceResult<ParameterView>> {
  const def = findParameter(name);
  if (!def) return { ok: false, code: "not_found", message: `No parameter named ${name}` };
  const [row, active] = await Promise.all([db.parameter.findUnique({ where: { name } }), getActiveSource()]);
  return { ok: true, value: toView(def, row ?? undefined, active.parameters[name]) };
}

/** Saves a pending value; it reaches the engine at the next Reload. */
export async function setParameter(
  name: string,
  input: { value: unknown; version: number },
  actor: Actor,
  action = "parameter.update",
): Promise<ServiceResult<ParameterView>> {
  const def = findParameter(name);
  if (!def) return { ok: false, code: "not_found", message: `No parameter named ${name}` };
  const parsed = parseParameterValue(def, input.value);
  if (!parsed.ok)
    return { ok: false, code: "validation", message: parsed.error, issues: [{ path: "value", message: parsed.error }] };

  const result = await db.$transaction(async (tx): Promise<ServiceResult<Row>> => {
    const existing = await tx.parameter.findUnique({ where: { name } });
    const currentVersion = existing?.version ?? 0;
    if (currentVersion !== input.version) {
      return {
        ok: false,
        code: "conflict",
        message: `${name} was changed by someone else (version ${currentVersion}, yours ${input.version}); reload the page and try again`,
      };
    }
    const before = existing ? JSON.parse(existing.value) : def.default;
    const data = { value: JSON.stringify(parsed.value), version: currentVersion + 1, updatedBy: actor.actor };
    const row = await tx.parameter.upsert({ where: { name }, create: { name, ...data }, update: data });
    await recordAudit(tx, actor, {
      action,
      entityType: "parameter",
      entityId: name,
      before: { value: before },
      after: { value: parsed.value },
    });
    return { ok: true, value: row };
  });
  if (!result.ok) return result;
  const active = await getActiveSource();
  return { ok: true, value: toView(def, result.value, active.parameters[name]) };
}

export async function resetParameter(
  name: string,
  version: number,
  actor: Actor,
): Promise<ServiceResult<ParameterView>> {
  const def = findParameter(name);
  if (!def) return { ok: false, code: "not_found", message: `No parameter named ${name}` };
  return setParameter(name, { value: def.default, version }, actor, "parameter.reset");
}
