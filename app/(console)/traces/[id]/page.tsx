import { TraceScreen } from "@/components/traces/trace-screen";

export const metadata = { title: "Trace" };

export default async function TracePage({ params }: { params: Promise<{ id: string }> }) {
  return <TraceScreen id={(await params).id} />;
}
