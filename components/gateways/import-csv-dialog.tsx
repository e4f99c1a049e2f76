"use client";

import { useEffect, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { pendingQueryKey } from "@/components/shell/pending-badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Notice } from "@/components/ui/notice";

type Preview = {
  rows: number;
  creates: number;
  updates: number;
  errors: Array<{ line: number; name: string; messages: string[] }>;
};
type Job = {
  id: string;
  status: "running" | "done" | "failed";
  total: number;
  done: number;
  created: number;
  updated: number;
  error: string | null;
};

/** Choose a file → every bad row listed with its reason, nothing written → commit all rows at once, with progress. */
export function ImportCsvDialog({ resource, onClose }: { resource: string; onClose: () => void }) {
  const client = useQueryClient();
  const [csv, setCsv] = useState<string | null>(null);
  const [fileName, setFileName] = useState("");
  const preview = useMutation({
    mutationFn: (text: string) =>
      apiFetch<Preview>(`/api/v1/${resource}/import?mode=preview`, { method: "POST", csv: text }),
  });
  const commit = useMutation({
    mutationFn: (text: string) =>
      apiFetch<Job>(`/api/v1/${resource}/import?mode=commit`, { method: "POST", csv: text }),
  });
  const job = useQuery({
    queryKey: ["import-job", commit.data?.id],
    queryFn: () => apiFetch<Job>(`/api/v1/import-jobs/${commit.data!.id}`),
    enabled: Boolean(commit.data),
    refetchInterval: (q) => (q.state.data?.status === "running" || !q.state.data ? 300 : false),
  });
  const finished = job.data && job.data.status !== "running";
  const imported = job.data?.status === "done";
  useEffect(() => {
    if (!imported) return;
    void client.invalidateQueries({ queryKey: [resource] });
    void client.invalidateQueries({ queryKey: pendingQueryKey });
  }, [imported, client, resource]);

  const choose = async (file: File | undefined) => {
    if (!file) return;
    const text = await file.text();
    setCsv(text);
    setFileName(file.name);
    commit.reset();
    preview.mutate(text);
  };
  const p = preview.data;
  return (
    <Dialog open title="Import gateways from CSV" onClose={onClose}>
      <p className="mb-3 text-sm text-slate-700">
        The first line names the columns, as in an export. Rows whose name exists update that gateway (an empty password
        keeps the current one); the others are created. Nothing is written unless every row is valid.
      </p>
      <label htmlFor="csv-file" className="block text-sm font-medium">
        CSV file
      </label>
      <input
        id="csv-file"
        type="file"
        accept=".csv,text/csv"
        className="mb-3 mt-1 block text-sm"
        onChange={(e) => choose(e.target.files?.[0])}
        disabled={commit.isPending || job.data?.status === "running"}
      />
      {preview.isPending && <p role="status">Checking {fileName}…</p>}
      {preview.error && <Notice tone="error">{preview.error.message}</Notice>}
      {p && !commit.data && (
        <div data-testid="import-preview">
          {p.errors.length > 0 ? (
            <>
              <Notice tone="error">
                {p.errors.length} of {p.rows} rows are invalid. Fix them and choose the file again; nothing was written.
              </Notice>
              <ul className="mb-3 max-h-60 overflow-y-auto text-sm">
                {p.errors.map((e) => (
                  <li key={e.line} className="border-b border-slate-200 py-1">
                    <strong>Line {e.line}</strong> {e.name && `(${e.name})`}: {e.messages.join("; ")}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <Notice tone="success">
              All {p.rows} rows are valid: {p.creates} to create, {p.updates} to update.
            </Notice>
          )}
        </div>
      )}
      {commit.error && <Notice tone="error">{commit.error.message}</Notice>}
      {job.data && (
        <div className="mb-3">
          <label htmlFor="import-progress" className="block text-sm">
            {job.data.status === "running"
              ? `Importing… ${job.data.done} of ${job.data.total}`
              : job.data.status === "done"
                ? `Imported ${job.data.total}: ${job.data.created} created, ${job.data.updated} updated. Pending until reload.`
                : job.data.error}
          </label>
          <progress id="import-progress" className="w-full" max={job.data.total || 1} value={job.data.done} />
        </div>
      )}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          {finished ? "Close" : "Cancel"}
        </Button>
        {!finished && (
          <Button
            disabled={!csv || !p || p.errors.length > 0 || p.rows === 0 || commit.isPending || Boolean(commit.data)}
            onClick={() => csv && commit.mutate(csv)}
          >
            Import {p && p.errors.length === 0 ? p.rows : ""} rows
          </Button>
        )}
      </div>
    </Dialog>
  );
}
