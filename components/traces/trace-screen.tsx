"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { useCan } from "@/components/shell/operator-context";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Table, td, th } from "@/components/ui/table";
import { Ladders, MessageDetail } from "@/components/traces/ladder";
import { startLineOf, type TraceMessage, type TraceSessionView } from "@/lib/domain/trace";

/** Live messages over server-sent events; the browser reconnects by itself and resumes after the last id. */
function useTraceEvents(id: string) {
  const [trace, setTrace] = useState<TraceSessionView | null>(null);
  const [messages, setMessages] = useState<TraceMessage[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const source = new EventSource(`/api/v1/traces/${encodeURIComponent(id)}/events`);
    source.onopen = () => setConnected(true);
    source.addEventListener("trace", (e) => setTrace(JSON.parse((e as MessageEvent).data)));
    source.addEventListener("message", (e) => {
      const m = JSON.parse((e as MessageEvent).data) as TraceMessage;
      setMessages((list) => (list.some((x) => x.id === m.id) ? list : [...list, m]));
    });
    source.addEventListener("failure", (e) => setFailure(JSON.parse((e as MessageEvent).data).message));
    source.addEventListener("end", () => {
      setConnected(false);
      source.close();
    });
    source.onerror = () => setConnected(false);
    return () => source.close();
  }, [id]);
  return { trace, messages, failure, connected, setTrace };
}

export function TraceScreen({ id }: { id: string }) {
  const canStop = useCan("operator");
  const { trace, messages, failure, connected, setTrace } = useTraceEvents(id);
  const [selected, setSelected] = useState<TraceMessage | null>(null);
  const stop = useMutation({
    mutationFn: () => apiFetch<TraceSessionView>(`/api/v1/traces/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: setTrace,
  });
  const state = !trace
    ? "Connecting…"
    : trace.active
      ? `Running until ${new Date(trace.endsAt).toLocaleTimeString()}`
      : trace.stoppedAt
        ? `Stopped by ${trace.stoppedBy} at ${new Date(trace.stoppedAt).toLocaleTimeString()}`
        : `Ended at ${new Date(trace.endsAt).toLocaleTimeString()}`;
  return (
    <>
      <PageHeader
        title={trace ? `Trace: ${trace.description}` : "Trace"}
        description={
          <>
            <Link href="/traces" className="text-blue-800 underline">
              All traces
            </Link>{" "}
            · <span data-testid="trace-state">{state}</span>
            {trace?.active && (connected ? " · live" : " · reconnecting…")}
          </>
        }
        actions={
          <>
            {trace?.active && canStop && (
              <Button variant="danger" onClick={() => stop.mutate()} disabled={stop.isPending}>
                Stop trace
              </Button>
            )}
            <a
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100"
              href={`/api/v1/traces/${encodeURIComponent(id)}/export?format=pcap`}
              download
            >
              Export pcap
            </a>
            <a
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100"
              href={`/api/v1/traces/${encodeURIComponent(id)}/export?format=text`}
              download
            >
              Export text
            </a>
          </>
        }
      />
      {failure && <Notice tone="error">Live updates stopped: {failure}. Reload the page to resume.</Notice>}
      {stop.error && <Notice tone="error">{stop.error.message}</Notice>}
      {trace && trace.lost > 0 && (
        <Notice tone="warning">
          {trace.lost} messages passed through the engine faster than they could be read and are missing from this
          trace. Narrow the filters.
        </Notice>
      )}
      {trace && messages.length === 0 && (
        <Notice tone="info">
          {trace.active
            ? "Waiting for messages that match. Reproduce the problem now: register the phone, place the call."
            : "This trace captured no message."}
        </Notice>
      )}
      <Ladders messages={messages} />
      {messages.length > 0 && (
        <section aria-label="Messages" className="mt-4">
          <h2 className="mb-2 text-lg font-semibold">Messages ({messages.length})</h2>
          <Table
            caption="Captured messages"
            head={
              <tr>
                <th className={th}>Time</th>
                <th className={th}>Direction</th>
                <th className={th}>Peer</th>
                <th className={th}>Message</th>
              </tr>
            }
          >
            {messages.map((m) => (
              <tr key={m.id} data-testid="trace-message" className={selected?.id === m.id ? "bg-blue-50" : undefined}>
                <td className={`${td} whitespace-nowrap font-mono text-xs`}>{new Date(m.at).toLocaleTimeString()}</td>
                <td className={td}>{m.direction === "in" ? "received" : "sent"}</td>
                <td className={`${td} font-mono text-xs`}>
                  {m.transport.toUpperCase()} {m.remoteAddress}:{m.remotePort}
                </td>
                <td className={td}>
                  <button
                    type="button"
                    className="text-left text-blue-800 underline"
                    onClick={() => setSelected(selected?.id === m.id ? null : m)}
                  >
                    {startLineOf(m.text)}
                  </button>
                </td>
              </tr>
            ))}
          </Table>
          {selected && <MessageDetail message={selected} />}
        </section>
      )}
    </>
  );
}
