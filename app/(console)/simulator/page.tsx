import { SimulatorScreen } from "@/components/simulator/simulator-screen";

export const metadata = { title: "Route simulator" };

export default function SimulatorPage() {
  return <SimulatorScreen />;
}
