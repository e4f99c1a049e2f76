import { TracesScreen } from "@/components/traces/traces-screen";

export const metadata = { title: "Debug trace" };

export default function TracesPage() {
  return <TracesScreen />;
}
