"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { useCan } from "@/components/shell/operator-context";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Table, td, th } from "@/components/ui/table";
import type { LiveCallView } from "@/lib/domain/cdr";

export function CallsScreen() {
  const client = useQueryClient();
  const canEdit = useCan("operator");
  const [confirming, setConfirming] = useState<LiveCallView | null>(null);
  const calls = useQuery({
    queryKey: ["live-calls"],
    queryFn: () => apiFetch<{ items: LiveCallView[] }>("/api/v1/calls"),
    refetchInterval: 2000,
  });
  const hangUp = useMutation({
    mutationFn: (id: string) => apiFetch(`/api/v1/calls/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: async () => {
      setConfirming(null);
      await client.invalidateQueries({ queryKey: ["live-calls"] });
    },
  });
  const items = calls.data?.items ?? [];
  return (
    <>
      <PageHeader
        title="Current calls"
        description="Calls in progress through the softswitch, refreshed every two seconds."
      />
      {calls.error && <Notice tone="error">{calls.error.message}</Notice>}
      {calls.data && items.length === 0 && <Notice tone="info">No call in progress.</Notice>}
      {items.length > 0 && (
        <Table
          caption="Current calls"
          head={
            <tr>
              <th className={th}>Caller → callee</th>
              <th className={th}>State</th>
              <th className={th}>Since</th>
              <th className={th}>Gateways</th>
              <th className={th}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          }
        >
          {items.map((c) => (
            <tr key={c.id} data-testid="live-call">
              <td className={td}>
                {c.caller} → {c.callee}
              </td>
              <td className={td}>{c.state}</td>
              <td className={td}>{new Date(c.answeredAt ?? c.startedAt).toLocaleTimeString()}</td>
              <td className={`${td} font-mono text-xs`}>
                {c.mappingGatewayId} → {c.routingGatewayId ?? "—"}
              </td>
              <td className={`${td} text-right`}>
                {canEdit && (
                  <Button variant="danger" onClick={() => setConfirming(c)}>
                    Hang up
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
      {confirming && (
        <Dialog open title={`Hang up ${confirming.caller} → ${confirming.callee}?`} onClose={() => setConfirming(null)}>
          {hangUp.error && <Notice tone="error">{hangUp.error.message}</Notice>}
          <p className="mb-4 text-sm">Both legs end now; the call record says the server ended it. This is audited.</p>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setConfirming(null)}>
              Cancel
            </Button>
            <Button variant="danger" disabled={hangUp.isPending} onClick={() => hangUp.mutate(confirming.id)}>
              Hang up
            </Button>
          </div>
        </Dialog>
      )}
    </>
  );
}
