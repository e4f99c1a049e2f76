"use client";

import { useMemo, useState } from "react";
import { useSearchParams } from "next/navigation";
import { useParameters } from "@/components/parameters/use-parameters";
import { ParameterEditDialog } from "@/components/parameters/parameter-edit-dialog";
import { useCan } from "@/components/shell/operator-context";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Table, td, th } from "@/components/ui/table";
import { findParameter } from "@/lib/domain/parameter-catalog";
import { formatParameterValue } from "@/lib/domain/parameter-value";
import type { ParameterView } from "@/lib/domain/parameter-api";

type Filter = "all" | "pending" | "changed";

function show(p: ParameterView, value: ParameterView["value"]): string {
  const def = findParameter(p.name);
  return def ? formatParameterValue(def, value) : String(value);
}

export function ParametersScreen() {
  const params = useSearchParams();
  // `?search=` comes from links elsewhere (the checklist, the auth doctor) that point at one parameter
  const [search, setSearch] = useState(params.get("search") ?? "");
  const [filter, setFilter] = useState<Filter>(params.get("filter") === "pending" ? "pending" : "all");
  const [editing, setEditing] = useState<string | null>(null);
  const canEdit = useCan("operator");
  const query = useParameters();

  const groups = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const rows = (query.data?.items ?? []).filter(
      (p) =>
        (filter === "all" || (filter === "pending" ? p.pending : !p.isDefault)) &&
        (!needle || p.name.toLowerCase().includes(needle) || p.description.toLowerCase().includes(needle)),
    );
    const byGroup = new Map<string, ParameterView[]>();
    for (const p of rows) byGroup.set(p.group, [...(byGroup.get(p.group) ?? []), p]);
    return [...byGroup.entries()];
  }, [query.data, search, filter]);

  const editingParameter = query.data?.items.find((p) => p.name === editing) ?? null;

  return (
    <>
      <PageHeader
        title="System parameters"
        description="Saved values are pending until the softswitch is reloaded; the Active column is what the engine runs now."
      />
      <div className="mb-4 flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="parameter-search" className="block text-sm font-medium">
            Search
          </label>
          <input
            id="parameter-search"
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="Name or description"
            className="mt-1 w-72 rounded-md border border-slate-400 px-2 py-1.5 text-sm"
          />
        </div>
        <div>
          <label htmlFor="parameter-filter" className="block text-sm font-medium">
            Show
          </label>
          <select
            id="parameter-filter"
            value={filter}
            onChange={(e) => setFilter(e.target.value as Filter)}
            className="mt-1 rounded-md border border-slate-400 bg-white px-2 py-1.5 text-sm"
          >
            <option value="all">All parameters</option>
            <option value="pending">Pending (not yet reloaded)</option>
            <option value="changed">Changed from default</option>
          </select>
        </div>
      </div>
      {query.isPending && <p role="status">Loading parameters…</p>}
      {query.error && <Notice tone="error">Could not load parameters: {query.error.message}</Notice>}
      {query.data && groups.length === 0 && (
        <Notice tone="info">No parameter matches. Clear the search or choose “All parameters”.</Notice>
      )}
      {groups.map(([group, rows]) => (
        <section key={group} className="mb-6" aria-labelledby={`group-${group}`}>
          <h2 id={`group-${group}`} className="mb-2 text-lg font-semibold">
            {group}
          </h2>
          <Table
            caption={`${group} parameters`}
            head={
              <tr>
                <th className={th}>Name</th>
                <th className={th}>Active</th>
                <th className={th}>Saved (pending)</th>
                <th className={th}>Default</th>
                {canEdit && (
                  <th className={th}>
                    <span className="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            }
          >
            {rows.map((p) => (
              <tr key={p.name} data-testid={`parameter-${p.name}`}>
                <td className={td}>
                  <div className="font-mono text-xs font-semibold">{p.name}</div>
                  <div className="mt-1 max-w-xl text-xs text-slate-700">{p.description}</div>
                </td>
                <td className={td} data-testid="active-value">
                  {show(p, p.active)}
                </td>
                <td className={td} data-testid="saved-value">
                  {p.pending ? (
                    <span className="rounded bg-amber-100 px-1.5 py-0.5 font-medium text-amber-950">
                      {show(p, p.value)} (pending)
                    </span>
                  ) : (
                    <span className="text-slate-700">same as active</span>
                  )}
                </td>
                <td className={td}>
                  {show(p, p.default)}
                  {!p.isDefault && (
                    <span className="ml-2 rounded bg-blue-100 px-1.5 py-0.5 text-xs font-medium text-blue-900">
                      changed
                    </span>
                  )}
                </td>
                {canEdit && (
                  <td className={`${td} text-right`}>
                    <Button variant="secondary" onClick={() => setEditing(p.name)} aria-label={`Edit ${p.name}`}>
                      Edit
                    </Button>
                  </td>
                )}
              </tr>
            ))}
          </Table>
        </section>
      ))}
      {editingParameter && <ParameterEditDialog parameter={editingParameter} onClose={() => setEditing(null)} />}
    </>
  );
}
