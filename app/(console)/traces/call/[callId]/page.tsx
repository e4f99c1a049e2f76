import { CallTraceScreen } from "@/components/traces/call-trace-screen";

export const metadata = { title: "Messages of one call" };

export default async function CallTracePage({ params }: { params: Promise<{ callId: string }> }) {
  return <CallTraceScreen callId={decodeURIComponent((await params).callId)} />;
}
