import { db } from "@/lib/server/db";
import { recordAudit } from "@/lib/server/audit";
import { loadCurrentSource } from "@/lib/server/config-source";
import { mappingColumns } from "@/lib/server/mapping-gateways";
import { routingColumns } from "@/lib/server/routing-gateways";
import {
  diffConfig,
  type ConfigSource,
  type SourceMappingGateway,
  type SourceRoutingGateway,
} from "@/lib/domain/config-source";
import type { Actor } from "@/lib/server/principal";

// Puts the saved configuration back to a given one (what runs: discard; an earlier snapshot:
// rollback; a file: import), touching only what differs, in one transaction.

function mappingData(g: SourceMappingGateway) {
  const { id: _id, version: _v, passwordCipher, ...config } = g;
  return { ...mappingColumns(config, undefined), passwordCipher };
}

function routingData(g: SourceRoutingGateway) {
  const { id: _id, version: _v, passwordCipher, ...config } = g;
  return { ...routingColumns(config, undefined), passwordCipher };
}

export async function restoreConfig(
  target: ConfigSource,
  actor: Actor,
  action: string,
  summary: Record<string, unknown> = {},
): Promise<{ changes: number }> {
  const current = await loadCurrentSource();
  const changes = diffConfig(target, current);
  if (changes.length === 0) return { changes: 0 };
  const mappingById = new Map(target.mappingGateways.map((g) => [g.id, g]));
  const routingById = new Map(target.routingGateways.map((g) => [g.id, g]));
  await db.$transaction(
    async (tx) => {
      // Names are unique: remove first, so a gateway that comes back under its old name finds it free.
      for (const c of changes.filter((c) => c.action === "added")) {
        if (c.entity === "mapping-gateway") await tx.mappingGateway.delete({ where: { id: c.id } });
        if (c.entity === "routing-gateway") await tx.routingGateway.delete({ where: { id: c.id } });
      }
      for (const c of changes.filter((c) => c.action !== "added")) {
        if (c.entity === "parameter") {
          const value = JSON.stringify(target.parameters[c.id]);
          await tx.parameter.upsert({
            where: { name: c.id },
            create: { name: c.id, value, updatedBy: actor.actor },
            update: { value, updatedBy: actor.actor, version: { increment: 1 } },
          });
        } else if (c.entity === "mapping-gateway") {
          const data = mappingData(mappingById.get(c.id)!);
          if (c.action === "removed") await tx.mappingGateway.create({ data: { id: c.id, ...data } });
          else await tx.mappingGateway.update({ where: { id: c.id }, data: { ...data, version: { increment: 1 } } });
        } else {
          const data = routingData(routingById.get(c.id)!);
          if (c.action === "removed") await tx.routingGateway.create({ data: { id: c.id, ...data } });
          else await tx.routingGateway.update({ where: { id: c.id }, data: { ...data, version: { increment: 1 } } });
        }
      }
      await recordAudit(tx, actor, {
        action,
        entityType: "config",
        entityId: action,
        after: {
          ...summary,
          changes: changes.length,
          items: changes.slice(0, 200).map((c) => `${c.entity} ${c.name}: ${c.action}`),
        },
      });
    },
    { timeout: 120_000 },
  );
  return { changes: changes.length };
}
