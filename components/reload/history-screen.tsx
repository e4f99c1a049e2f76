"use client";

import { Fragment, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { ChangeList } from "@/components/reload/change-list";
import { ExportDialog, ImportDialog } from "@/components/reload/config-file-dialogs";
import { pendingQueryKey } from "@/components/shell/pending-badge";
import { useCan } from "@/components/shell/operator-context";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Table, td, th } from "@/components/ui/table";
import type { ConfigChange } from "@/lib/domain/config-source";

type Snapshot = {
  version: number;
  hash: string;
  createdBy: string;
  createdAt: string;
  outcome: string;
  reasons: string[];
  tookMs: number | null;
  rollbackOf: number | null;
};

function SnapshotChanges({ version }: { version: number }) {
  const detail = useQuery({
    queryKey: ["snapshot", version],
    queryFn: () => apiFetch<Snapshot & { changes: ConfigChange[] }>(`/api/v1/snapshots/${version}`),
  });
  if (detail.error) return <Notice tone="error">{detail.error.message}</Notice>;
  if (!detail.data) return <p role="status">Loading…</p>;
  return <ChangeList changes={detail.data.changes} empty="No change against the version before it." />;
}

export function HistoryScreen() {
  const client = useQueryClient();
  const canEdit = useCan("operator");
  const [open, setOpen] = useState<number | null>(null);
  const [rollingBack, setRollingBack] = useState<number | null>(null);
  const [exporting, setExporting] = useState<number | null>(null);
  const [importing, setImporting] = useState(false);
  const history = useQuery({
    queryKey: ["snapshots"],
    queryFn: () => apiFetch<{ items: Snapshot[]; total: number }>("/api/v1/snapshots?pageSize=200"),
    refetchInterval: 5000,
  });
  const rollback = useMutation({
    mutationFn: (version: number) => apiFetch(`/api/v1/snapshots/${version}/rollback`, { method: "POST" }),
    onSuccess: async () => {
      setRollingBack(null);
      await new Promise((r) => setTimeout(r, 500));
      await Promise.all([
        client.invalidateQueries({ queryKey: ["snapshots"] }),
        client.invalidateQueries({ queryKey: pendingQueryKey }),
      ]);
    },
  });
  return (
    <>
      <PageHeader
        title="Reload history"
        description="Every configuration version: who reloaded it, when, what it changed, and whether the engine applied it. Roll back to an applied version (it becomes a new version), or save any version to a file."
        actions={
          canEdit && (
            <Button variant="secondary" onClick={() => setImporting(true)}>
              Import configuration file
            </Button>
          )
        }
      />
      {history.error && <Notice tone="error">{history.error.message}</Notice>}
      {history.data && (
        <Table
          caption="Configuration versions"
          head={
            <tr>
              <th className={th}>Version</th>
              <th className={th}>When</th>
              <th className={th}>Who</th>
              <th className={th}>Outcome</th>
              <th className={th}>Took</th>
              <th className={th}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          }
        >
          {history.data.items.map((s) => (
            <Fragment key={s.version}>
              <tr data-testid={`snapshot-${s.version}`}>
                <td className={`${td} font-mono`}>
                  {s.version}
                  {s.rollbackOf !== null && (
                    <span className="ml-1 text-xs text-slate-700">(rollback to {s.rollbackOf})</span>
                  )}
                </td>
                <td className={td}>{new Date(s.createdAt).toLocaleString()}</td>
                <td className={td}>{s.createdBy}</td>
                <td className={td}>
                  <span className={s.outcome === "applied" ? "text-green-800" : "font-medium text-red-800"}>
                    {s.outcome}
                  </span>
                  {s.reasons.length > 0 && (
                    <ul className="list-disc pl-4 text-xs">
                      {s.reasons.map((r) => (
                        <li key={r}>{r}</li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className={td}>{s.tookMs === null ? "—" : `${s.tookMs} ms`}</td>
                <td className={`${td} space-x-1 whitespace-nowrap text-right`}>
                  <Button
                    variant="ghost"
                    aria-expanded={open === s.version}
                    onClick={() => setOpen(open === s.version ? null : s.version)}
                  >
                    Changes
                  </Button>
                  {canEdit && (
                    <Button variant="ghost" onClick={() => setExporting(s.version)}>
                      Export
                    </Button>
                  )}
                  {canEdit && s.outcome === "applied" && (
                    <Button variant="secondary" onClick={() => setRollingBack(s.version)}>
                      Roll back
                    </Button>
                  )}
                </td>
              </tr>
              {open === s.version && (
                <tr>
                  <td colSpan={6} className="bg-slate-50 p-3">
                    <SnapshotChanges version={s.version} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </Table>
      )}
      {rollingBack !== null && (
        <Dialog open title={`Roll back to version ${rollingBack}?`} onClose={() => setRollingBack(null)}>
          {rollback.error && <Notice tone="error">{rollback.error.message}</Notice>}
          <p className="mb-4 text-sm">
            The saved configuration goes back to version {rollingBack} (pending edits are replaced) and is reloaded as a
            new version.
          </p>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setRollingBack(null)}>
              Cancel
            </Button>
            <Button variant="danger" disabled={rollback.isPending} onClick={() => rollback.mutate(rollingBack)}>
              Roll back
            </Button>
          </div>
        </Dialog>
      )}
      {exporting !== null && <ExportDialog version={exporting} onClose={() => setExporting(null)} />}
      {importing && <ImportDialog onClose={() => setImporting(false)} />}
    </>
  );
}
