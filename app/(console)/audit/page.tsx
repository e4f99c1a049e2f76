import { AuditScreen } from "@/components/audit/audit-screen";

export const metadata = { title: "Audit log" };

export default function AuditPage() {
  return <AuditScreen />;
}
