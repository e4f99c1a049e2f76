import type { MappingGateway, Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/server/db";
import { containsInAny, equals, gatewayIdPage, rowsInOrder } from "@/lib/server/gateway-list";
import { recordAudit } from "@/lib/server/audit";
import { encryptSecret } from "@/lib/server/secret-box";
import { listOf, ruleOf, toJson, type Page } from "@/lib/server/gateway-rows";
import { MappingConflictIndex, type UsernameOwner } from "@/lib/server/mapping-gateway-conflicts";
import {
  mappingGatewayRuleIssues,
  type CreateMappingGateway,
  type MappingGatewayConfig,
  type MappingGatewayListQuery,
  type MappingGatewayView,
} from "@/lib/domain/mapping-gateway";
import type { ServiceResult } from "@/lib/server/http";
import type { Actor } from "@/lib/server/principal";

type Tx = Prisma.TransactionClient;

export type MappingFields = Omit<MappingGatewayView, "createdAt" | "updatedAt" | "hasPassword">;

export function toMappingView(r: MappingGateway): MappingGatewayView {
  return {
    ...mappingFieldsOf(r),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    hasPassword: r.passwordCipher !== null,
  };
}

/** A row without the dates: all mappingFieldsOf reads. */
export type MappingGatewayRow = Omit<MappingGateway, "createdAt" | "updatedAt">;

/** What operators configure: the view without the dates a reload would format only to drop (issue 7). */
export function mappingFieldsOf(r: MappingGatewayRow): MappingFields {
  return {
    id: r.id,
    version: r.version,
    name: r.name,
    enabled: r.enabled,
    locked: r.locked,
    authMode: r.authMode as MappingGatewayView["authMode"],
    ipAddresses: listOf(r.ipAddresses),
    port: r.port,
    authUsername: r.authUsername,
    capacity: r.capacity,
    priority: r.priority,
    calleeAllowPrefixes: listOf(r.calleeAllowPrefixes),
    calleeDenyPrefixes: listOf(r.calleeDenyPrefixes),
    callerRewrite: ruleOf(r.callerRewrite),
    calleeRewrite: ruleOf(r.calleeRewrite),
    routingGroups: listOf(r.routingGroups),
    replyAddress: r.replyAddress as MappingGatewayView["replyAddress"],
    memo: r.memo,
  };
}

/** The columns of a gateway's configuration; the password only when a new one is given. */
export function mappingColumns(g: MappingGatewayConfig, password: string | undefined) {
  return {
    name: g.name,
    enabled: g.enabled,
    locked: g.locked,
    authMode: g.authMode,
    ipAddresses: toJson(g.ipAddresses),
    port: g.port,
    authUsername: g.authUsername,
    capacity: g.capacity,
    priority: g.priority,
    calleeAllowPrefixes: toJson(g.calleeAllowPrefixes),
    calleeDenyPrefixes: toJson(g.calleeDenyPrefixes),
    callerRewrite: toJson(g.callerRewrite),
    calleeRewrite: toJson(g.calleeRewrite),
    routingGroups: toJson(g.routingGroups),
    replyAddress: g.replyAddress,
    memo: g.memo,
    ...(password !== undefined ? { passwordCipher: encryptSecret(password) } : {}),
  };
}

function configOf(view: MappingGatewayView): MappingGatewayConfig {
  const { id: _id, version: _v, createdAt: _c, updatedAt: _u, hasPassword: _h, ...config } = view;
  return config;
}

/** Everything that can conflict with a mapping gateway: other mapping gateways and dynamic routing accounts. */
export async function loadMappingConflictIndex(tx: Tx | typeof db = db): Promise<MappingConflictIndex> {
  const [gateways, dynamic] = await Promise.all([
    tx.mappingGateway.findMany({
      select: {
        id: true,
        name: true,
        enabled: true,
        authMode: true,
        ipAddresses: true,
        port: true,
        authUsername: true,
      },
    }),
    tx.routingGateway.findMany({
      where: { kind: "dynamic", authUsername: { not: null } },
      select: { id: true, name: true, authUsername: true },
    }),
  ]);
  const others: Array<[string, UsernameOwner]> = dynamic.map((d) => [
    d.authUsername!,
    { id: d.id, label: `dynamic routing gateway "${d.name}"` },
  ]);
  return new MappingConflictIndex(
    gateways.map((g) => ({
      ...g,
      authMode: g.authMode as MappingGatewayConfig["authMode"],
      ipAddresses: listOf(g.ipAddresses),
    })),
    others,
  );
}

export async function listMappingGateways(q: MappingGatewayListQuery): Promise<Page<MappingGatewayView>> {
  const conditions = [
    ...(q.authMode ? [equals("authMode", q.authMode)] : []),
    ...(q.enabled !== undefined ? [equals("enabled", q.enabled)] : []),
    ...(q.group ? [containsInAny(["routingGroups"], `"${q.group}"`)] : []),
    ...(q.search ? [containsInAny(["name", "ipAddresses", "authUsername", "memo"], q.search)] : []),
  ];
  const { ids, total } = await gatewayIdPage(
    "MappingGateway",
    conditions,
    { column: q.sort, order: q.order },
    q.page,
    q.pageSize,
  );
  const rows = await rowsInOrder(ids, (slice) => db.mappingGateway.findMany({ where: { id: { in: slice } } }));
  return { items: rows.map(toMappingView), total, page: q.page, pageSize: q.pageSize };
}

export async function getMappingGateway(id: string): Promise<ServiceResult<MappingGatewayView>> {
  const row = await db.mappingGateway.findUnique({ where: { id } });
  return row
    ? { ok: true, value: toMappingView(row) }
    : { ok: false, code: "not_found", message: `No mapping gateway with id ${id}` };
}

function invalid(issues: Array<{ path: string; message: string }>): ServiceResult<never> {
  return { ok: false, code: "validation", message: issues.map((i) => i.message).join("; "), issues };
}

export async function createMappingGateway(
  input: CreateMappingGateway,
  actor: Actor,
): Promise<ServiceResult<MappingGatewayView>> {
  const { password, ...config } = input;
  const issues = mappingGatewayRuleIssues(config, password !== undefined);
  if (issues.length > 0) return invalid(issues);
  return db.$transaction(async (tx): Promise<ServiceResult<MappingGatewayView>> => {
    const conflict = (await loadMappingConflictIndex(tx)).conflictOf({ ...config, id: "" });
    if (conflict) return { ok: false, code: "conflict", message: conflict.message, issues: [conflict] };
    const row = await tx.mappingGateway.create({ data: mappingColumns(config, password) });
    const view = toMappingView(row);
    await recordAudit(tx, actor, {
      action: "mapping-gateway.create",
      entityType: "mapping-gateway",
      entityId: row.id,
      after: { ...view, ...(password ? { password } : {}) },
    });
    return { ok: true, value: view };
  });
}

export async function updateMappingGateway(
  id: string,
  patch: { version: number; password?: string } & Partial<MappingGatewayConfig>,
  actor: Actor,
): Promise<ServiceResult<MappingGatewayView>> {
  return db.$transaction(async (tx): Promise<ServiceResult<MappingGatewayView>> => {
    const row = await tx.mappingGateway.findUnique({ where: { id } });
    if (!row) return { ok: false, code: "not_found", message: `No mapping gateway with id ${id}` };
    if (row.version !== patch.version) {
      return {
        ok: false,
        code: "conflict",
        message: `Mapping gateway "${row.name}" was changed by someone else (version ${row.version}, yours ${patch.version}); reload it and apply your change again`,
      };
    }
    const before = toMappingView(row);
    const { version: _version, password, ...changes } = patch;
    const merged: MappingGatewayConfig = { ...configOf(before), ...changes };
    const issues = mappingGatewayRuleIssues(merged, password !== undefined || before.hasPassword);
    if (issues.length > 0) return invalid(issues);
    const conflict = (await loadMappingConflictIndex(tx)).conflictOf({ ...merged, id });
    if (conflict) return { ok: false, code: "conflict", message: conflict.message, issues: [conflict] };
    const updated = await tx.mappingGateway.update({
      where: { id },
      data: { ...mappingColumns(merged, password), version: { increment: 1 } },
    });
    const after = toMappingView(updated);
    await recordAudit(tx, actor, {
      action: "mapping-gateway.update",
      entityType: "mapping-gateway",
      entityId: id,
      before,
      after: { ...after, ...(password ? { password } : {}) },
    });
    return { ok: true, value: after };
  });
}

export async function deleteMappingGateway(id: string, actor: Actor): Promise<ServiceResult<{ deleted: string }>> {
  return db.$transaction(async (tx): Promise<ServiceResult<{ deleted: string }>> => {
    const row = await tx.mappingGateway.findUnique({ where: { id } });
    if (!row) return { ok: false, code: "not_found", message: `No mapping gateway with id ${id}` };
    await tx.mappingGateway.delete({ where: { id } });
    await recordAudit(tx, actor, {
      action: "mapping-gateway.delete",
      entityType: "mapping-gateway",
      entityId: id,
      before: toMappingView(row),
    });
    return { ok: true, value: { deleted: id } };
  });
}
