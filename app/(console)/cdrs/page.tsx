import { CdrsScreen } from "@/components/cdrs/cdrs-screen";

export const metadata = { title: "Call records" };

export default function CdrsPage() {
  return <CdrsScreen />;
}
