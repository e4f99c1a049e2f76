"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { DoctorPanel } from "@/components/doctor/doctor-panel";
import { Ladders } from "@/components/traces/ladder";
import type { TraceMessage } from "@/lib/domain/trace";

export function CallTraceScreen({ callId }: { callId: string }) {
  const query = useQuery({
    queryKey: ["trace-call", callId],
    queryFn: () =>
      apiFetch<{ source: "trace" | "engine"; messages: TraceMessage[] }>(
        `/api/v1/trace-calls/${encodeURIComponent(callId)}`,
      ),
  });
  return (
    <>
      <PageHeader
        title="One call: messages and diagnosis"
        description={
          <>
            <Link href="/traces" className="text-blue-800 underline">
              Debug trace
            </Link>{" "}
            · Call-ID <code>{callId}</code>
          </>
        }
      />
      {query.error && <Notice tone="error">{query.error.message}</Notice>}
      {query.data?.source === "engine" && query.data.messages.length > 0 && (
        <Notice tone="info">
          No trace captured this call; these are the messages the engine still holds in its recent-message ring.
        </Notice>
      )}
      {query.data && query.data.messages.length === 0 && (
        <Notice tone="info">
          No trace captured this Call-ID and the engine no longer holds its messages. Start a trace before reproducing
          the call.
        </Notice>
      )}
      <div className="mb-4">
        <DoctorPanel query={{ callId }} label="Why did this call fail? Ask the auth doctor" />
      </div>
      {query.data && <Ladders messages={query.data.messages} doctor={false} />}
    </>
  );
}
