import { mappingGatewayRoutes } from "@/lib/server/gateway-route-tables";

export const { POST } = mappingGatewayRoutes.importCsv;
