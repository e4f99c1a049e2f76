import type { Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/server/db";
import { rewriteCsvFields, secretCsvFields, type CsvField } from "@/lib/server/gateway-csv";
import { existingByName, type GatewayImportKind } from "@/lib/server/gateway-import";
import { loadMappingConflictIndex, mappingColumns } from "@/lib/server/mapping-gateways";
import {
  createMappingGatewaySchema,
  mappingGatewayRuleIssues,
  type MappingGatewayConfig,
} from "@/lib/domain/mapping-gateway";

export const mappingCsvFields: CsvField[] = [
  { column: "name", key: "name", kind: "text" },
  { column: "enabled", key: "enabled", kind: "bool" },
  { column: "locked", key: "locked", kind: "bool" },
  { column: "authMode", key: "authMode", kind: "text" },
  { column: "ipAddresses", key: "ipAddresses", kind: "list" },
  { column: "port", key: "port", kind: "optionalInt" },
  { column: "authUsername", key: "authUsername", kind: "optionalText" },
  ...secretCsvFields,
  { column: "capacity", key: "capacity", kind: "int" },
  { column: "priority", key: "priority", kind: "int" },
  { column: "calleeAllowPrefixes", key: "calleeAllowPrefixes", kind: "list" },
  { column: "calleeDenyPrefixes", key: "calleeDenyPrefixes", kind: "list" },
  ...rewriteCsvFields,
  { column: "routingGroups", key: "routingGroups", kind: "list" },
  { column: "replyAddress", key: "replyAddress", kind: "text" },
  { column: "memo", key: "memo", kind: "text" },
];

export const mappingImportKind: GatewayImportKind<MappingGatewayConfig> = {
  entity: "mapping-gateway",
  fields: mappingCsvFields,
  createSchema: createMappingGatewaySchema,
  ruleIssues: mappingGatewayRuleIssues,
  loadExisting: async () =>
    existingByName(await db.mappingGateway.findMany({ select: { id: true, name: true, passwordCipher: true } })),
  async loadConflicts() {
    const index = await loadMappingConflictIndex();
    return {
      conflictOf: (config, id) => index.conflictOf({ ...config, id }),
      add: (config, id) => index.add({ ...config, id }),
    };
  },
  columns: mappingColumns,
  async createMany(tx, data) {
    await tx.mappingGateway.createMany({ data: data as Prisma.MappingGatewayCreateManyInput[] });
  },
  async update(tx, id, data) {
    await tx.mappingGateway.update({ where: { id }, data: { ...data, version: { increment: 1 } } });
  },
};
