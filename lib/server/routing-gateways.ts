import type { Prisma, RoutingGateway } from "@/generated/prisma/client";
import { db } from "@/lib/server/db";
import { containsInAny, equals, gatewayIdPage, rowsInOrder } from "@/lib/server/gateway-list";
import { recordAudit } from "@/lib/server/audit";
import { encryptSecret } from "@/lib/server/secret-box";
import { listOf, ruleOf, toJson, type Page } from "@/lib/server/gateway-rows";
import { loadMappingConflictIndex } from "@/lib/server/mapping-gateways";
import {
  routingGatewayRuleIssues,
  type CreateRoutingGateway,
  type RoutingGatewayConfig,
  type RoutingGatewayListQuery,
  type RoutingGatewayView,
} from "@/lib/domain/routing-gateway";
import type { ServiceResult } from "@/lib/server/http";
import type { Actor } from "@/lib/server/principal";

type Tx = Prisma.TransactionClient;

export type RoutingFields = Omit<RoutingGatewayView, "createdAt" | "updatedAt" | "hasPassword">;

export function toRoutingView(r: RoutingGateway): RoutingGatewayView {
  return {
    ...routingFieldsOf(r),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    hasPassword: r.passwordCipher !== null,
  };
}

/** A row without the dates: all routingFieldsOf reads. */
export type RoutingGatewayRow = Omit<RoutingGateway, "createdAt" | "updatedAt">;

/** What operators configure: the view without the dates a reload would format only to drop (issue 7). */
export function routingFieldsOf(r: RoutingGatewayRow): RoutingFields {
  return {
    id: r.id,
    version: r.version,
    name: r.name,
    enabled: r.enabled,
    kind: r.kind as RoutingGatewayView["kind"],
    address: r.address,
    port: r.port,
    transport: r.transport as RoutingGatewayView["transport"],
    prefixes: listOf(r.prefixes),
    prefixMode: r.prefixMode as RoutingGatewayView["prefixMode"],
    priority: r.priority,
    capacity: r.capacity,
    group: r.group,
    authUsername: r.authUsername,
    authRealm: r.authRealm,
    fromUser: r.fromUser,
    fromDomain: r.fromDomain,
    callerRewrite: ruleOf(r.callerRewrite),
    calleeRewrite: ruleOf(r.calleeRewrite),
    failoverCodes: listOf<number>(r.failoverCodes),
    failoverOnAuthFailure: r.failoverOnAuthFailure,
    memo: r.memo,
  };
}

export function routingColumns(g: RoutingGatewayConfig, password: string | undefined) {
  return {
    name: g.name,
    enabled: g.enabled,
    kind: g.kind,
    address: g.address,
    port: g.port,
    transport: g.transport,
    prefixes: toJson(g.prefixes),
    prefixMode: g.prefixMode,
    priority: g.priority,
    capacity: g.capacity,
    group: g.group,
    authUsername: g.authUsername,
    authRealm: g.authRealm,
    fromUser: g.fromUser,
    fromDomain: g.fromDomain,
    callerRewrite: toJson(g.callerRewrite),
    calleeRewrite: toJson(g.calleeRewrite),
    failoverCodes: toJson(g.failoverCodes),
    failoverOnAuthFailure: g.failoverOnAuthFailure,
    memo: g.memo,
    ...(password !== undefined ? { passwordCipher: encryptSecret(password) } : {}),
  };
}

function configOf(view: RoutingGatewayView): RoutingGatewayConfig {
  const { id: _id, version: _v, createdAt: _c, updatedAt: _u, hasPassword: _h, ...config } = view;
  return config;
}

/** Names are unique; a dynamic gateway's digest username must not name another account. */
export async function routingConflictOf(
  tx: Tx | typeof db,
  g: RoutingGatewayConfig,
  id: string,
): Promise<{ path: string; message: string } | null> {
  const sameName = await tx.routingGateway.findUnique({ where: { name: g.name }, select: { id: true } });
  if (sameName && sameName.id !== id)
    return { path: "name", message: `A routing gateway named "${g.name}" already exists` };
  if (g.kind !== "dynamic" || g.authUsername === null) return null;
  const owner = (await loadMappingConflictIndex(tx)).ownerOfUsername(g.authUsername);
  if (owner && owner.id !== id)
    return { path: "authUsername", message: `Digest username "${g.authUsername}" is already used by ${owner.label}` };
  return null;
}

export async function listRoutingGateways(q: RoutingGatewayListQuery): Promise<Page<RoutingGatewayView>> {
  const conditions = [
    ...(q.kind ? [equals("kind", q.kind)] : []),
    ...(q.enabled !== undefined ? [equals("enabled", q.enabled)] : []),
    ...(q.group ? [equals("group", q.group)] : []),
    ...(q.search ? [containsInAny(["name", "address", "prefixes", "memo"], q.search)] : []),
  ];
  const { ids, total } = await gatewayIdPage(
    "RoutingGateway",
    conditions,
    { column: q.sort, order: q.order },
    q.page,
    q.pageSize,
  );
  const rows = await rowsInOrder(ids, (slice) => db.routingGateway.findMany({ where: { id: { in: slice } } }));
  return { items: rows.map(toRoutingView), total, page: q.page, pageSize: q.pageSize };
}

export async function getRoutingGateway(id: string): Promise<ServiceResult<RoutingGatewayView>> {
  const row = await db.routingGateway.findUnique({ where: { id } });
  return row
    ? { ok: true, value: toRoutingView(row) }
    : { ok: false, code: "not_found", message: `No routing gateway with id ${id}` };
}

function invalid(issues: Array<{ path: string; message: string }>): ServiceResult<never> {
  return { ok: false, code: "validation", message: issues.map((i) => i.message).join("; "), issues };
}

export async function createRoutingGateway(
  input: CreateRoutingGateway,
  actor: Actor,
): Promise<ServiceResult<RoutingGatewayView>> {
  const { password, ...config } = input;
  const issues = routingGatewayRuleIssues(config, password !== undefined);
  if (issues.length > 0) return invalid(issues);
  return db.$transaction(async (tx): Promise<ServiceResult<RoutingGatewayView>> => {
    const conflict = await routingConflictOf(tx, config, "");
    if (conflict) return { ok: false, code: "conflict", message: conflict.message, issues: [conflict] };
    const row = await tx.routingGateway.create({ data: routingColumns(config, password) });
    const view = toRoutingView(row);
    await recordAudit(tx, actor, {
      action: "routing-gateway.create",
      entityType: "routing-gateway",
      entityId: row.id,
      after: { ...view, ...(password ? { password } : {}) },
    });
    return { ok: true, value: view };
  });
}

export async function updateRoutingGateway(
  id: string,
  patch: { version: number; password?: string } & Partial<RoutingGatewayConfig>,
  actor: Actor,
): Promise<ServiceResult<RoutingGatewayView>> {
  return db.$transaction(async (tx): Promise<ServiceResult<RoutingGatewayView>> => {
    const row = await tx.routingGateway.findUnique({ where: { id } });
    if (!row) return { ok: false, code: "not_found", message: `No routing gateway with id ${id}` };
    if (row.version !== patch.version) {
      return {
        ok: false,
        code: "conflict",
        message: `Routing gateway "${row.name}" was changed by someone else (version ${row.version}, yours ${patch.version}); reload it and apply your change again`,
      };
    }
    const before = toRoutingView(row);
    const { version: _version, password, ...changes } = patch;
    const merged: RoutingGatewayConfig = { ...configOf(before), ...changes };
    const issues = routingGatewayRuleIssues(merged, password !== undefined || before.hasPassword);
    if (issues.length > 0) return invalid(issues);
    const conflict = await routingConflictOf(tx, merged, id);
    if (conflict) return { ok: false, code: "conflict", message: conflict.message, issues: [conflict] };
    const updated = await tx.routingGateway.update({
      where: { id },
      data: { ...routingColumns(merged, password), version: { increment: 1 } },
    });
    const after = toRoutingView(updated);
    await recordAudit(tx, actor, {
      action: "routing-gateway.update",
      entityType: "routing-gateway",
      entityId: id,
      before,
      after: { ...after, ...(password ? { password } : {}) },
    });
    return { ok: true, value: after };
  });
}

export async function deleteRoutingGateway(id: string, actor: Actor): Promise<ServiceResult<{ deleted: string }>> {
  return db.$transaction(async (tx): Promise<ServiceResult<{ deleted: string }>> => {
    const row = await tx.routingGateway.findUnique({ where: { id } });
    if (!row) return { ok: false, code: "not_found", message: `No routing gateway with id ${id}` };
    await tx.routingGateway.delete({ where: { id } });
    await recordAudit(tx, actor, {
      action: "routing-gateway.delete",
      entityType: "routing-gateway",
      entityId: id,
      before: toRoutingView(row),
    });
    return { ok: true, value: { deleted: id } };
  });
}
