import { mappingGatewayRoutes } from "@/lib/server/gateway-route-tables";

export const { GET } = mappingGatewayRoutes.exportCsv;
