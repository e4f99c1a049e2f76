import { HistoryScreen } from "@/components/reload/history-screen";

export const metadata = { title: "Reload history" };

export default function HistoryPage() {
  return <HistoryScreen />;
}
