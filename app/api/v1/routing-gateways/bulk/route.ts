import { routingGatewayRoutes } from "@/lib/server/gateway-route-tables";

/** Enable, disable or delete many at once: all or nothing. */
export const { POST } = routingGatewayRoutes.bulk;
