import { bulkMappingGateways, bulkRoutingGateways } from "@/lib/server/gateway-bulk";
import { gatewayRoutes } from "@/lib/server/gateway-routes";
import { mappingCsvFields, mappingImportKind } from "@/lib/server/mapping-gateway-import";
import { routingCsvFields, routingImportKind } from "@/lib/server/routing-gateway-import";
import {
  createMappingGateway,
  deleteMappingGateway,
  getMappingGateway,
  listMappingGateways,
  updateMappingGateway,
} from "@/lib/server/mapping-gateways";
import {
  createRoutingGateway,
  deleteRoutingGateway,
  getRoutingGateway,
  listRoutingGateways,
  updateRoutingGateway,
} from "@/lib/server/routing-gateways";
import {
  createMappingGatewaySchema,
  mappingGatewayListQuerySchema,
  updateMappingGatewaySchema,
} from "@/lib/domain/mapping-gateway";
import {
  createRoutingGatewaySchema,
  routingGatewayListQuerySchema,
  updateRoutingGatewaySchema,
} from "@/lib/domain/routing-gateway";
import type { GatewayImportKind } from "@/lib/server/gateway-import";

export const mappingGatewayRoutes = gatewayRoutes({
  listQuerySchema: mappingGatewayListQuerySchema,
  createSchema: createMappingGatewaySchema,
  updateSchema: updateMappingGatewaySchema,
  list: listMappingGateways,
  get: getMappingGateway,
  create: createMappingGateway,
  update: updateMappingGateway,
  remove: deleteMappingGateway,
  bulk: bulkMappingGateways,
  csvFields: mappingCsvFields,
  importKind: mappingImportKind as GatewayImportKind<never>,
  fileName: "mapping-gateways.csv",
});

export const routingGatewayRoutes = gatewayRoutes({
  listQuerySchema: routingGatewayListQuerySchema,
  createSchema: createRoutingGatewaySchema,
  updateSchema: updateRoutingGatewaySchema,
  list: listRoutingGateways,
  get: getRoutingGateway,
  create: createRoutingGateway,
  update: updateRoutingGateway,
  remove: deleteRoutingGateway,
  bulk: bulkRoutingGateways,
  csvFields: routingCsvFields,
  importKind: routingImportKind as GatewayImportKind<never>,
  fileName: "routing-gateways.csv",
});
