import { RoutingGatewaysScreen } from "@/components/routing-gateways/routing-gateways-screen";

export const metadata = { title: "Routing gateways" };

export default function RoutingGatewaysPage() {
  return <RoutingGatewaysScreen />;
}
