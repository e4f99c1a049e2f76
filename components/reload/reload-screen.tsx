"use client";

import Link from "next/link";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { ChangeList } from "@/components/reload/change-list";
import { pendingQueryKey } from "@/components/shell/pending-badge";
import { useCan } from "@/components/shell/operator-context";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import type { ConfigChange } from "@/lib/domain/config-source";

type Job = {
  id: string;
  step: string;
  outcome: "running" | "applied" | "rejected" | "up-to-date";
  version: number | null;
  hash: string | null;
  reasons: string[];
  tookMs: number | null;
  engineMs: number | null;
  changes: number;
};
const stepLabel: Record<string, string> = {
  building: "Building the snapshot…",
  checking: "Checking rules across gateways…",
  pushing: "Pushing to the engine…",
  done: "Done",
};

export function ReloadScreen() {
  const client = useQueryClient();
  const canEdit = useCan("operator");
  const [jobId, setJobId] = useState<string | null>(null);
  const [discarding, setDiscarding] = useState(false);
  const changes = useQuery({
    queryKey: ["pending-changes"],
    queryFn: () => apiFetch<{ items: ConfigChange[] }>("/api/v1/pending/changes"),
  });
  const refresh = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ["pending-changes"] }),
      client.invalidateQueries({ queryKey: pendingQueryKey }),
      client.invalidateQueries({ queryKey: ["engine"] }),
    ]);
  const job = useQuery({
    queryKey: ["reload-job", jobId],
    queryFn: async () => {
      const j = await apiFetch<Job>(`/api/v1/reloads/${jobId}`);
      if (j.step === "done") await refresh();
      return j;
    },
    enabled: jobId !== null,
    refetchInterval: (q) => (q.state.data?.step === "done" ? false : 200),
  });
  const reload = useMutation({
    mutationFn: () => apiFetch<Job>("/api/v1/reloads", { method: "POST" }),
    onSuccess: (j) => setJobId(j.id),
  });
  const discard = useMutation({
    mutationFn: () => apiFetch<{ changes: number }>("/api/v1/pending/discard", { method: "POST" }),
    onSuccess: async () => {
      setDiscarding(false);
      await refresh();
    },
  });
  const items = changes.data?.items ?? [];
  const j = job.data;
  const running = reload.isPending || (j !== undefined && j.step !== "done");
  return (
    <>
      <PageHeader
        title="Pending changes and reload"
        description="Saved edits are pending until a reload turns them into one new configuration version that the engine applies whole, or refuses whole with its reasons."
        actions={
          canEdit && (
            <>
              <Button variant="secondary" disabled={items.length === 0 || running} onClick={() => setDiscarding(true)}>
                Discard changes
              </Button>
              <Button disabled={running} onClick={() => reload.mutate()}>
                {running ? "Reloading…" : "Reload softswitch"}
              </Button>
            </>
          )
        }
      />
      {reload.error && <Notice tone="error">{reload.error.message}</Notice>}
      {j && (
        <div data-testid="reload-result">
          {j.step !== "done" && <Notice tone="info">{stepLabel[j.step]}</Notice>}
          {j.step === "done" && j.outcome === "applied" && (
            <Notice tone="success">
              Reloaded: the engine runs version {j.version} ({j.hash?.slice(0, 12)}), {j.changes} change
              {j.changes === 1 ? "" : "s"}, in {j.tookMs} ms ({j.engineMs} ms inside the engine).
            </Notice>
          )}
          {j.step === "done" && j.outcome === "up-to-date" && (
            <Notice tone="info">
              Nothing to reload: the engine already runs version {j.version} with every saved change.
            </Notice>
          )}
          {j.step === "done" && j.outcome === "rejected" && (
            <Notice tone="error">
              Version {j.version} was refused; nothing changed and the engine keeps running what it ran. Reasons:
              <ul className="mt-1 list-disc pl-5">
                {j.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            </Notice>
          )}
        </div>
      )}
      <h2 className="mb-2 mt-4 text-lg font-semibold">
        {items.length} pending change{items.length === 1 ? "" : "s"}
      </h2>
      {changes.error && <Notice tone="error">Could not load the pending changes: {changes.error.message}</Notice>}
      {changes.isPending ? (
        <p role="status">Loading…</p>
      ) : (
        <ChangeList changes={items} empty="Nothing is pending: the engine runs every saved change." />
      )}
      <p className="mt-4 text-sm">
        <Link className="text-blue-800 underline" href="/history">
          Reload history, rollback, export and import →
        </Link>
      </p>
      {discarding && (
        <Dialog
          open
          title={`Discard ${items.length} pending change${items.length === 1 ? "" : "s"}?`}
          onClose={() => setDiscarding(false)}
        >
          {discard.error && <Notice tone="error">{discard.error.message}</Notice>}
          <p className="mb-4 text-sm">
            Every saved edit goes back to what the engine runs now. Added gateways are removed, removed ones come back.
            This is audited and cannot be undone.
          </p>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setDiscarding(false)}>
              Cancel
            </Button>
            <Button variant="danger" disabled={discard.isPending} onClick={() => discard.mutate()}>
              Discard changes
            </Button>
          </div>
        </Dialog>
      )}
    </>
  );
}
