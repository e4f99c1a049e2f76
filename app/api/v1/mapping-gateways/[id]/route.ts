import { mappingGatewayRoutes } from "@/lib/server/gateway-route-tables";

export const { GET, PATCH, DELETE } = mappingGatewayRoutes.item;
