"use client";

import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { pendingQueryKey } from "@/components/shell/pending-badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Notice } from "@/components/ui/notice";

type Action = "enable" | "disable" | "delete";
const verbs: Record<Action, string> = { enable: "Enable", disable: "Disable", delete: "Delete" };

/** Bulk enable, disable or delete, always confirmed; the server does all or nothing. */
export function BulkActions({
  resource,
  selected,
  onDone,
}: {
  resource: string;
  selected: string[];
  onDone: () => void;
}) {
  const client = useQueryClient();
  const [confirming, setConfirming] = useState<Action | null>(null);
  const run = useMutation({
    mutationFn: (action: Action) =>
      apiFetch<{ affected: number }>(`/api/v1/${resource}/bulk`, { method: "POST", body: { action, ids: selected } }),
    onSuccess: async () => {
      setConfirming(null);
      onDone();
      await Promise.all([
        client.invalidateQueries({ queryKey: [resource] }),
        client.invalidateQueries({ queryKey: pendingQueryKey }),
      ]);
    },
  });
  if (selected.length === 0 && !run.data) return null;
  return (
    <div className="mb-3 flex flex-wrap items-center gap-2 rounded-md border border-slate-200 bg-white p-2 text-sm">
      {selected.length > 0 ? (
        <>
          <span className="font-medium">{selected.length} selected</span>
          {(["enable", "disable", "delete"] as const).map((a) => (
            <Button
              key={a}
              variant={a === "delete" ? "danger" : "secondary"}
              onClick={() => {
                run.reset();
                setConfirming(a);
              }}
            >
              {verbs[a]}
            </Button>
          ))}
        </>
      ) : (
        <span role="status">
          {run.data && `${verbs[run.variables as Action]}d ${run.data.affected}. The change is pending until reload.`}
        </span>
      )}
      {confirming && (
        <Dialog
          open
          title={`${verbs[confirming]} ${selected.length} gateway${selected.length === 1 ? "" : "s"}?`}
          onClose={() => setConfirming(null)}
        >
          {run.error && <Notice tone="error">{run.error.message}</Notice>}
          <p className="mb-4 text-sm">
            {confirming === "delete"
              ? "They are removed from the configuration; the softswitch stops using them at the next reload. This cannot be undone."
              : "The change is pending until the softswitch is reloaded."}
          </p>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setConfirming(null)}>
              Cancel
            </Button>
            <Button
              variant={confirming === "delete" ? "danger" : "primary"}
              disabled={run.isPending}
              onClick={() => run.mutate(confirming)}
            >
              {verbs[confirming]} {selected.length}
            </Button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
