import { CallsScreen } from "@/components/calls/calls-screen";

export const metadata = { title: "Current calls" };

export default function CallsPage() {
  return <CallsScreen />;
}
