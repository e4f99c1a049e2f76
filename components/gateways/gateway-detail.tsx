"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type ReactNode } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { pendingQueryKey } from "@/components/shell/pending-badge";
import { useCan } from "@/components/shell/operator-context";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";

/** Detail page frame: facts, the edit form, and a confirmed delete. */
export function GatewayDetail({
  resource,
  gateway,
  kindLabel,
  children,
}: {
  resource: "mapping-gateways" | "routing-gateways";
  gateway: { id: string; name: string; version: number; updatedAt: string; hasPassword: boolean };
  kindLabel: string;
  children: ReactNode;
}) {
  const router = useRouter();
  const client = useQueryClient();
  const created = useSearchParams().get("created") === "1";
  const canEdit = useCan("operator");
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => apiFetch(`/api/v1/${resource}/${gateway.id}`, { method: "DELETE" }),
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: [resource] }),
        client.invalidateQueries({ queryKey: pendingQueryKey }),
      ]);
      router.push(`/${resource}`);
    },
  });
  return (
    <>
      <p className="mb-2 text-sm">
        <Link className="text-blue-800 underline" href={`/${resource}`}>
          ← All {kindLabel}s
        </Link>
      </p>
      <PageHeader
        title={gateway.name}
        description={`${kindLabel[0].toUpperCase()}${kindLabel.slice(1)} · version ${gateway.version} · last changed ${new Date(gateway.updatedAt).toLocaleString()} · password ${gateway.hasPassword ? "set (never shown)" : "not set"}`}
        actions={
          canEdit && (
            <Button variant="danger" onClick={() => setConfirming(true)}>
              Delete
            </Button>
          )
        }
      />
      {created && <Notice tone="success">Created. It is pending until the softswitch is reloaded.</Notice>}
      {children}
      {confirming && (
        <Dialog open title={`Delete ${gateway.name}?`} onClose={() => setConfirming(false)}>
          {remove.error && <Notice tone="error">{remove.error.message}</Notice>}
          <p className="mb-4 text-sm">The softswitch stops using it at the next reload. This cannot be undone.</p>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button variant="danger" disabled={remove.isPending} onClick={() => remove.mutate()}>
              Delete {gateway.name}
            </Button>
          </div>
        </Dialog>
      )}
    </>
  );
}
