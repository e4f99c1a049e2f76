import { routingGatewayRoutes } from "@/lib/server/gateway-route-tables";

export const { GET, PATCH, DELETE } = routingGatewayRoutes.item;
