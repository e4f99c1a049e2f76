import { routingGatewayRoutes } from "@/lib/server/gateway-route-tables";

export const { GET } = routingGatewayRoutes.exportCsv;
