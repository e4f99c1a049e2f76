"use client";

import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Table, td, th } from "@/components/ui/table";
import type { AuditEntryView } from "@/lib/domain/audit";

type Page = { items: AuditEntryView[]; total: number; page: number; pageSize: number };

/** Fields whose value changed between before and after, one line each. */
function describeChange(before: unknown, after: unknown): string[] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(
    (k) => !["updatedAt", "version", "createdAt", "id"].includes(k),
  );
  return keys
    .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
    .map((k) =>
      before == null ? `${k}: ${JSON.stringify(a[k])}` : `${k}: ${JSON.stringify(b[k])} → ${JSON.stringify(a[k])}`,
    );
}

export function AuditScreen() {
  const [filters, setFilters] = useState({ actor: "", action: "", entityType: "" });
  const [page, setPage] = useState(1);
  const params = new URLSearchParams({ page: String(page), pageSize: "50" });
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  const query = useQuery({
    queryKey: ["audit", params.toString()],
    queryFn: () => apiFetch<Page>(`/api/v1/audit?${params}`),
    placeholderData: keepPreviousData,
  });
  const setFilter = (key: keyof typeof filters) => (e: { target: { value: string } }) => {
    setFilters({ ...filters, [key]: e.target.value });
    setPage(1);
  };
  const pages = query.data ? Math.max(1, Math.ceil(query.data.total / query.data.pageSize)) : 1;
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change: who made it, when, through the console or which API token, and what changed. Secrets are never shown."
      />
      <div className="mb-4 flex flex-wrap gap-3">
        {(
          [
            ["actor", "Who"],
            ["action", "Action"],
          ] as const
        ).map(([key, label]) => (
          <div key={key}>
            <label htmlFor={`audit-${key}`} className="block text-sm font-medium">
              {label}
            </label>
            <input
              id={`audit-${key}`}
              type="search"
              value={filters[key]}
              onChange={setFilter(key)}
              className="mt-1 rounded-md border border-slate-400 px-2 py-1.5 text-sm"
            />
          </div>
        ))}
        <div>
          <label htmlFor="audit-entity" className="block text-sm font-medium">
            Kind
          </label>
          <select
            id="audit-entity"
            value={filters.entityType}
            onChange={setFilter("entityType")}
            className="mt-1 rounded-md border border-slate-400 bg-white px-2 py-1.5 text-sm"
          >
            <option value="">Everything</option>
            <option value="parameter">Parameters</option>
            <option value="operator">Operators</option>
            <option value="token">API tokens</option>
          </select>
        </div>
      </div>
      {query.error && <Notice tone="error">Could not load the audit log: {query.error.message}</Notice>}
      {query.isPending && <p role="status">Loading audit log…</p>}
      {query.data?.total === 0 && <Notice tone="info">No audit entries match these filters.</Notice>}
      {query.data && query.data.total > 0 && (
        <>
          <Table
            caption="Audit entries"
            head={
              <tr>
                <th className={th}>When</th>
                <th className={th}>Who</th>
                <th className={th}>Via</th>
                <th className={th}>Action</th>
                <th className={th}>What</th>
                <th className={th}>Change</th>
              </tr>
            }
          >
            {query.data.items.map((e) => (
              <tr key={e.id} data-testid="audit-row">
                <td className={`${td} whitespace-nowrap`}>{new Date(e.at).toLocaleString()}</td>
                <td className={td}>{e.actor}</td>
                <td className={td}>{e.via}</td>
                <td className={`${td} font-mono text-xs`}>{e.action}</td>
                <td className={td}>
                  {e.entityType} {e.entityType === "parameter" ? e.entityId : ""}
                </td>
                <td className={`${td} font-mono text-xs`}>
                  {describeChange(e.before, e.after).map((line) => (
                    <div key={line}>{line}</div>
                  ))}
                </td>
              </tr>
            ))}
          </Table>
          <div className="mt-3 flex items-center gap-3 text-sm">
            <Button variant="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              Previous
            </Button>
            <span>
              Page {page} of {pages} · {query.data.total} entries
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
