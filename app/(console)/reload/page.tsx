import { ReloadScreen } from "@/components/reload/reload-screen";

export const metadata = { title: "Pending changes and reload" };

export default function ReloadPage() {
  return <ReloadScreen />;
}
