"use client";

import Link from "next/link";
import { useEffect, useState, type ReactNode } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { BulkActions } from "@/components/gateways/bulk-actions";
import { ImportCsvDialog } from "@/components/gateways/import-csv-dialog";
import { useCan } from "@/components/shell/operator-context";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Table, td, th } from "@/components/ui/table";

export type GatewayRow = { id: string; name: string; enabled: boolean };
export type Column<V> = { header: string; sortKey?: string; cell: (row: V) => ReactNode };
export type FilterDef = { param: string; label: string; options: Array<{ value: string; label: string }> };
type Page<V> = { items: V[]; total: number; page: number; pageSize: number };

const PAGE_SIZE = 50;

export function GatewayListScreen<V extends GatewayRow>(props: {
  resource: "mapping-gateways" | "routing-gateways";
  title: string;
  singular: string;
  description: ReactNode;
  columns: Column<V>[];
  filters: FilterDef[];
}) {
  const canEdit = useCan("operator");
  const [search, setSearch] = useState("");
  const [debounced, setDebounced] = useState("");
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [sort, setSort] = useState({ key: "name", order: "asc" as "asc" | "desc" });
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [importing, setImporting] = useState(false);

  useEffect(() => {
    const timer = setTimeout(() => setDebounced(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  // A bulk action must only touch rows the operator can see: a new search or filter clears the selection.
  useEffect(() => setSelected(new Set()), [debounced, filters]);

  const filterParams = new URLSearchParams(Object.entries({ ...filters, search: debounced }).filter(([, v]) => v));
  const listParams = new URLSearchParams(filterParams);
  listParams.set("sort", sort.key);
  listParams.set("order", sort.order);
  listParams.set("page", String(page));
  listParams.set("pageSize", String(PAGE_SIZE));
  const query = useQuery({
    queryKey: [props.resource, listParams.toString()],
    queryFn: () => apiFetch<Page<V>>(`/api/v1/${props.resource}?${listParams}`),
    placeholderData: keepPreviousData,
  });
  const items = query.data?.items ?? [];
  const pages = query.data ? Math.max(1, Math.ceil(query.data.total / PAGE_SIZE)) : 1;
  const filtering = Boolean(debounced) || Object.values(filters).some(Boolean);

  const toggleSort = (key: string) => {
    setSort((s) => ({ key, order: s.key === key && s.order === "asc" ? "desc" : "asc" }));
    setPage(1);
  };
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allOnPage = items.length > 0 && items.every((g) => selected.has(g.id));
  const toggleAll = () =>
    setSelected((s) => {
      const next = new Set(s);
      for (const g of items)
        if (allOnPage) next.delete(g.id);
        else next.add(g.id);
      return next;
    });

  return (
    <>
      <PageHeader
        title={props.title}
        description={props.description}
        actions={
          <>
            <a
              className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100"
              href={`/api/v1/${props.resource}/export?${filterParams}`}
              download
            >
              Export CSV
            </a>
            {canEdit && (
              <Button variant="secondary" onClick={() => setImporting(true)}>
                Import CSV
              </Button>
            )}
            {canEdit && (
              <Link
                className="inline-flex items-center rounded-md bg-blue-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800"
                href={`/${props.resource}/new`}
              >
                New {props.singular}
              </Link>
            )}
          </>
        }
      />
      <div className="mb-4 flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="gateway-search" className="block text-sm font-medium">
            Search
          </label>
          <input
            id="gateway-search"
            type="search"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setPage(1);
            }}
            placeholder="Name, address, username, memo"
            className="mt-1 w-72 rounded-md border border-slate-400 px-2 py-1.5 text-sm"
          />
        </div>
        {props.filters.map((f) => (
          <div key={f.param}>
            <label htmlFor={`filter-${f.param}`} className="block text-sm font-medium">
              {f.label}
            </label>
            <select
              id={`filter-${f.param}`}
              value={filters[f.param] ?? ""}
              onChange={(e) => {
                setFilters({ ...filters, [f.param]: e.target.value });
                setPage(1);
              }}
              className="mt-1 rounded-md border border-slate-400 bg-white px-2 py-1.5 text-sm"
            >
              {f.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
      {canEdit && (
        <BulkActions resource={props.resource} selected={[...selected]} onDone={() => setSelected(new Set())} />
      )}
      {query.error && <Notice tone="error">Could not load the list: {query.error.message}</Notice>}
      {query.isPending && <p role="status">Loading…</p>}
      {query.data?.total === 0 && (
        <Notice tone="info">
          {filtering
            ? "Nothing matches this search or these filters."
            : `No ${props.singular}s yet. Create one with “New ${props.singular}”, or import a CSV file.`}
        </Notice>
      )}
      {items.length > 0 && (
        <>
          <Table
            caption={props.title}
            head={
              <tr>
                {canEdit && (
                  <th className={th}>
                    <input
                      type="checkbox"
                      aria-label="Select every gateway on this page"
                      checked={allOnPage}
                      onChange={toggleAll}
                    />
                  </th>
                )}
                {props.columns.map((c) => (
                  <th
                    key={c.header}
                    className={th}
                    aria-sort={
                      c.sortKey && sort.key === c.sortKey
                        ? sort.order === "asc"
                          ? "ascending"
                          : "descending"
                        : undefined
                    }
                  >
                    {c.sortKey ? (
                      <button
                        type="button"
                        className="uppercase hover:underline"
                        onClick={() => toggleSort(c.sortKey!)}
                      >
                        {c.header}
                        {sort.key === c.sortKey ? (sort.order === "asc" ? " ▲" : " ▼") : ""}
                      </button>
                    ) : (
                      c.header
                    )}
                  </th>
                ))}
              </tr>
            }
          >
            {items.map((g) => (
              <tr
                key={g.id}
                data-testid={`gateway-${g.name}`}
                className={g.enabled ? "" : "bg-slate-50 text-slate-600"}
              >
                {canEdit && (
                  <td className={td}>
                    <input
                      type="checkbox"
                      aria-label={`Select ${g.name}`}
                      checked={selected.has(g.id)}
                      onChange={() => toggle(g.id)}
                    />
                  </td>
                )}
                {props.columns.map((c) => (
                  <td key={c.header} className={td}>
                    {c.cell(g)}
                  </td>
                ))}
              </tr>
            ))}
          </Table>
          <div className="mt-3 flex items-center gap-3 text-sm">
            <Button variant="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
              Previous
            </Button>
            <span>
              Page {page} of {pages} · {query.data?.total} {props.singular}s
            </span>
            <Button variant="secondary" disabled={page >= pages} onClick={() => setPage(page + 1)}>
              Next
            </Button>
          </div>
        </>
      )}
      {importing && <ImportCsvDialog resource={props.resource} onClose={() => setImporting(false)} />}
    </>
  );
}
