import { SecurityScreen } from "@/components/security/security-screen";

export const metadata = { title: "Security monitor" };

export default function SecurityPage() {
  return <SecurityScreen />;
}
