import type { Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/server/db";
import { rewriteCsvFields, secretCsvFields, type CsvField } from "@/lib/server/gateway-csv";
import { existingByName, type GatewayImportKind } from "@/lib/server/gateway-import";
import { loadMappingConflictIndex } from "@/lib/server/mapping-gateways";
import { routingColumns } from "@/lib/server/routing-gateways";
import {
  createRoutingGatewaySchema,
  routingGatewayRuleIssues,
  type RoutingGatewayConfig,
} from "@/lib/domain/routing-gateway";

export const routingCsvFields: CsvField[] = [
  { column: "name", key: "name", kind: "text" },
  { column: "enabled", key: "enabled", kind: "bool" },
  { column: "kind", key: "kind", kind: "text" },
  { column: "address", key: "address", kind: "optionalText" },
  { column: "port", key: "port", kind: "int" },
  { column: "transport", key: "transport", kind: "text" },
  { column: "prefixes", key: "prefixes", kind: "list" },
  { column: "prefixMode", key: "prefixMode", kind: "text" },
  { column: "priority", key: "priority", kind: "int" },
  { column: "capacity", key: "capacity", kind: "int" },
  { column: "group", key: "group", kind: "text" },
  { column: "authUsername", key: "authUsername", kind: "optionalText" },
  ...secretCsvFields,
  { column: "authRealm", key: "authRealm", kind: "optionalText" },
  { column: "fromUser", key: "fromUser", kind: "optionalText" },
  { column: "fromDomain", key: "fromDomain", kind: "optionalText" },
  ...rewriteCsvFields,
  { column: "failoverCodes", key: "failoverCodes", kind: "intList" },
  { column: "failoverOnAuthFailure", key: "failoverOnAuthFailure", kind: "bool" },
  { column: "memo", key: "memo", kind: "text" },
];

export const routingImportKind: GatewayImportKind<RoutingGatewayConfig> = {
  entity: "routing-gateway",
  fields: routingCsvFields,
  createSchema: createRoutingGatewaySchema,
  ruleIssues: routingGatewayRuleIssues,
  loadExisting: async () =>
    existingByName(await db.routingGateway.findMany({ select: { id: true, name: true, passwordCipher: true } })),
  // Names are checked by the importer itself; dynamic gateways' usernames against every digest account.
  async loadConflicts() {
    const index = await loadMappingConflictIndex();
    const mine = new Map<string, string>();
    return {
      conflictOf(config, id) {
        if (config.kind !== "dynamic" || config.authUsername === null) return null;
        const owner = index.ownerOfUsername(config.authUsername);
        const earlier = mine.get(config.authUsername);
        if (earlier && earlier !== id)
          return {
            path: "authUsername",
            message: `Digest username "${config.authUsername}" is already used by another row`,
          };
        return owner && owner.id !== id
          ? {
              path: "authUsername",
              message: `Digest username "${config.authUsername}" is already used by ${owner.label}`,
            }
          : null;
      },
      add(config, id) {
        if (config.kind === "dynamic" && config.authUsername) mine.set(config.authUsername, id);
      },
    };
  },
  columns: routingColumns,
  async createMany(tx, data) {
    await tx.routingGateway.createMany({ data: data as Prisma.RoutingGatewayCreateManyInput[] });
  },
  async update(tx, id, data) {
    await tx.routingGateway.update({ where: { id }, data: { ...data, version: { increment: 1 } } });
  },
};
