import { ChecklistScreen } from "@/components/checklist/checklist-screen";

export const metadata = { title: "Deployment checklist" };

export default function ChecklistPage() {
  return <ChecklistScreen />;
}
