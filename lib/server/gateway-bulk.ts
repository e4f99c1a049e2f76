import type { Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/server/db";
import { maskSecrets } from "@/lib/server/audit";
import { loadMappingConflictIndex, toMappingView } from "@/lib/server/mapping-gateways";
import { toRoutingView } from "@/lib/server/routing-gateways";
import { listOf } from "@/lib/server/gateway-rows";
import type { BulkGatewayAction } from "@/lib/domain/gateway-bulk";
import type { MappingGatewayConfig } from "@/lib/domain/mapping-gateway";
import type { FieldIssue, ServiceResult } from "@/lib/server/http";
import type { Actor } from "@/lib/server/principal";

type Tx = Prisma.TransactionClient;
type Outcome = ServiceResult<{ action: string; affected: number }>;

/** Enabling IP gateways may make two claim one source address: refuse the whole action then. */
async function mappingEnableConflicts(tx: Tx, ids: string[]): Promise<FieldIssue[]> {
  const index = await loadMappingConflictIndex(tx);
  const rows = await tx.mappingGateway.findMany({ where: { id: { in: ids }, enabled: false } });
  const issues: FieldIssue[] = [];
  for (const r of rows) {
    const candidate = {
      id: r.id,
      name: r.name,
      enabled: true,
      authMode: r.authMode as MappingGatewayConfig["authMode"],
      ipAddresses: listOf(r.ipAddresses),
      port: r.port,
      authUsername: r.authUsername,
    };
    const conflict = index.conflictOf(candidate);
    if (conflict) issues.push({ path: r.name, message: conflict.message });
    index.add(candidate);
  }
  return issues;
}

export async function bulkMappingGateways(input: BulkGatewayAction, actor: Actor): Promise<Outcome> {
  return db.$transaction(async (tx): Promise<Outcome> => {
    const rows = await tx.mappingGateway.findMany({ where: { id: { in: input.ids } } });
    if (rows.length !== new Set(input.ids).size)
      return {
        ok: false,
        code: "not_found",
        message: `${new Set(input.ids).size - rows.length} of the selected mapping gateways no longer exist; reload the list`,
      };
    if (input.action === "enable") {
      const issues = await mappingEnableConflicts(tx, input.ids);
      if (issues.length > 0)
        return {
          ok: false,
          code: "conflict",
          message: `Nothing was enabled: ${issues[0].message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""}`,
          issues,
        };
    }
    if (input.action === "delete") await tx.mappingGateway.deleteMany({ where: { id: { in: input.ids } } });
    else
      await tx.mappingGateway.updateMany({
        where: { id: { in: input.ids } },
        data: { enabled: input.action === "enable", version: { increment: 1 } },
      });
    await auditBulk(
      tx,
      actor,
      "mapping-gateway",
      input.action,
      rows.map((r) => ({ id: r.id, view: toMappingView(r) })),
    );
    return { ok: true, value: { action: input.action, affected: rows.length } };
  });
}

export async function bulkRoutingGateways(input: BulkGatewayAction, actor: Actor): Promise<Outcome> {
  return db.$transaction(async (tx): Promise<Outcome> => {
    const rows = await tx.routingGateway.findMany({ where: { id: { in: input.ids } } });
    if (rows.length !== new Set(input.ids).size)
      return {
        ok: false,
        code: "not_found",
        message: `${new Set(input.ids).size - rows.length} of the selected routing gateways no longer exist; reload the list`,
      };
    if (input.action === "delete") await tx.routingGateway.deleteMany({ where: { id: { in: input.ids } } });
    else
      await tx.routingGateway.updateMany({
        where: { id: { in: input.ids } },
        data: { enabled: input.action === "enable", version: { increment: 1 } },
      });
    await auditBulk(
      tx,
      actor,
      "routing-gateway",
      input.action,
      rows.map((r) => ({ id: r.id, view: toRoutingView(r) })),
    );
    return { ok: true, value: { action: input.action, affected: rows.length } };
  });
}

async function auditBulk(
  tx: Tx,
  actor: Actor,
  entity: string,
  action: string,
  rows: Array<{ id: string; view: { enabled: boolean } }>,
) {
  await tx.auditEntry.createMany({
    data: rows.map(({ id, view }) => ({
      actor: actor.actor,
      via: actor.via,
      action: `${entity}.${action}`,
      entityType: entity,
      entityId: id,
      before: JSON.stringify(maskSecrets(action === "delete" ? view : { enabled: view.enabled })),
      after: action === "delete" ? null : JSON.stringify({ enabled: action === "enable" }),
    })),
  });
}
