"use client";

import Link from "next/link";
import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Table, td, th } from "@/components/ui/table";
import type { CdrAttempt } from "@/lib/domain/cdr";
import type { CdrTotals } from "@/lib/domain/cdr-query";

type Row = {
  callId: string;
  startedAt: string;
  answeredAt: string | null;
  holdSeconds: number;
  callerReceived: string;
  calleeReceived: string;
  calleeSent: string | null;
  mappingGatewayName: string | null;
  routingGatewayName: string | null;
  sourceAddress: string;
  finalCode: number;
  finalReason: string;
  endedBy: string;
  illegal: boolean;
  seq: number;
  traced: boolean;
  attempts: CdrAttempt[];
};
type Page = { items: Row[]; total: number; totals: CdrTotals };

const FIELDS = [
  ["caller", "Caller"],
  ["callee", "Callee"],
  ["gateway", "Gateway"],
  ["code", "Final code"],
] as const;

/** Local datetime-local value → ISO; empty stays empty. */
const iso = (local: string) => (local ? new Date(local).toISOString() : "");

export function CdrsScreen() {
  const [filters, setFilters] = useState({ from: "", to: "", caller: "", callee: "", gateway: "", code: "" });
  const [page, setPage] = useState(1);
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, k === "from" || k === "to" ? iso(v) : v.trim());
  const listParams = new URLSearchParams(params);
  listParams.set("page", String(page));
  const query = useQuery({
    queryKey: ["cdrs", listParams.toString()],
    queryFn: () => apiFetch<Page>(`/api/v1/cdrs?${listParams}`),
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
  const set = (key: keyof typeof filters) => (e: { target: { value: string } }) => {
    setFilters({ ...filters, [key]: e.target.value });
    setPage(1);
  };
  const pages = query.data ? Math.max(1, Math.ceil(query.data.total / 50)) : 1;
  const t = query.data?.totals;
  return (
    <>
      <PageHeader
        title="Call records"
        description="One record per call attempt, imported from the engine every few seconds: caller and callee as received and as sent, the gateways, times, the final answer and who ended the call."
        actions={
          <a
            className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100"
            href={`/api/v1/cdrs?${params}`}
            download
            onClick={(e) => {
              e.preventDefault();
              void downloadCsv(params);
            }}
          >
            Export CSV
          </a>
        }
      />
      <div className="mb-4 flex flex-wrap items-end gap-3">
        {(["from", "to"] as const).map((k) => (
          <div key={k}>
            <label htmlFor={`cdr-${k}`} className="block text-sm font-medium">
              {k === "from" ? "From" : "To"}
            </label>
            <input
              id={`cdr-${k}`}
              type="datetime-local"
              value={filters[k]}
              onChange={set(k)}
              className="mt-1 rounded-md border border-slate-400 px-2 py-1.5 text-sm"
            />
          </div>
        ))}
        {FIELDS.map(([k, label]) => (
          <div key={k}>
            <label htmlFor={`cdr-${k}`} className="block text-sm font-medium">
              {label}
            </label>
            <input
              id={`cdr-${k}`}
              type="search"
              value={filters[k]}
              onChange={set(k)}
              className="mt-1 w-36 rounded-md border border-slate-400 px-2 py-1.5 text-sm"
            />
          </div>
        ))}
      </div>
      {query.error && <Notice tone="error">{query.error.message}</Notice>}
      {t && (
        <p className="mb-3 text-sm" data-testid="cdr-totals">
          <strong>{t.calls}</strong> calls · <strong>{t.answered}</strong> answered · ASR{" "}
          <strong>{(t.asr * 100).toFixed(1)}%</strong> · ACD <strong>{t.acdSeconds.toFixed(1)} s</strong>
        </p>
      )}
      {query.data?.total === 0 && (
        <Notice tone="info">No call records match. Calls appear here a few seconds after they end.</Notice>
      )}
      {query.data && query.data.items.length > 0 && (
        <>
          <Table
            caption="Call records"
            head={
              <tr>
                <th className={th}>Start</th>
                <th className={th}>Caller → callee</th>
                <th className={th}>Gateways</th>
                <th className={th}>Carriers tried</th>
                <th className={th}>Hold</th>
                <th className={th}>Result</th>
                <th className={th}>Ended by</th>
                <th className={th}>Trace</th>
              </tr>
            }
          >
            {query.data.items.map((c) => (
              <tr key={`${c.seq}-${c.callId}`} data-testid="cdr-row">
                <td className={`${td} whitespace-nowrap`}>{new Date(c.startedAt).toLocaleString()}</td>
                <td className={td}>
                  {c.callerReceived} → {c.calleeReceived}
                  {c.calleeSent && c.calleeSent !== c.calleeReceived && (
                    <span className="text-xs text-slate-700"> (sent {c.calleeSent})</span>
                  )}
                </td>
                <td className={td}>
                  {c.mappingGatewayName ?? c.sourceAddress} → {c.routingGatewayName ?? "—"}
                </td>
                <td className={td}>
                  <Attempts attempts={c.attempts} />
                </td>
                <td className={td}>{c.answeredAt ? `${c.holdSeconds.toFixed(1)} s` : "—"}</td>
                <td className={td}>
                  {c.finalCode} {c.finalReason}
                  {c.illegal && <span className="ml-1 rounded bg-red-100 px-1 text-xs text-red-900">refused</span>}
                </td>
                <td className={td}>{c.endedBy}</td>
                <td className={td}>
                  {c.traced && (
                    <Link className="text-blue-800 underline" href={`/traces/call/${encodeURIComponent(c.callId)}`}>
                      Ladder
                    </Link>
                  )}
                  {!c.traced && c.finalCode >= 300 && (
                    <Link className="text-blue-800 underline" href={`/traces/call/${encodeURIComponent(c.callId)}`}>
                      Why?
                    </Link>
                  )}
                  {!c.traced && c.finalCode < 300 && <span className="text-xs text-slate-600">none</span>}
                </td>
              </tr>
            ))}
          </Table>
          <div className="mt-3 flex items-center gap-3 text-sm">
            <Button variant="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              Previous
            </Button>
            <span>
              Page {page} of {pages}
            </span>
            <Button variant="secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>
              Next
            </Button>
          </div>
        </>
      )}
    </>
  );
}

/** Each carrier the call tried, in order, with its answer; "failed over" where the next one was tried (issue 17). */
function Attempts({ attempts }: { attempts: CdrAttempt[] }) {
  if (attempts.length === 0) return <span className="text-xs text-slate-600">none</span>;
  return (
    <ol className="space-y-0.5 text-xs" data-testid="cdr-attempts">
      {attempts.map((a, i) => (
        <li key={`${i}-${a.routingGatewayId}`}>
          <span className="font-medium">{a.routingGatewayName}</span> {a.code} {a.reason}
          {a.failedOver && (
            <span className="ml-1 rounded bg-amber-100 px-1 text-amber-950" data-testid="cdr-failed-over">
              failed over
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}

async function downloadCsv(params: URLSearchParams) {
  const response = await fetch(`/api/v1/cdrs?${params}`, { headers: { Accept: "text/csv" } });
  const url = URL.createObjectURL(await response.blob());
  Object.assign(document.createElement("a"), { href: url, download: "call-records.csv" }).click();
  URL.revokeObjectURL(url);
}
