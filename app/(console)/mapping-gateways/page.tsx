import { MappingGatewaysScreen } from "@/components/mapping-gateways/mapping-gateways-screen";

export const metadata = { title: "Mapping gateways" };

export default function MappingGatewaysPage() {
  return <MappingGatewaysScreen />;
}
