import { routingGatewayRoutes } from "@/lib/server/gateway-route-tables";

export const { POST } = routingGatewayRoutes.importCsv;
