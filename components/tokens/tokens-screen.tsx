"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { CreateTokenDialog } from "@/components/tokens/create-token-dialog";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Table, td, th } from "@/components/ui/table";
import type { ApiTokenView } from "@/lib/domain/api-token";

import { tokensKey } from "@/components/tokens/tokens-query";

function when(iso: string | null, none: string) {
  return iso ? new Date(iso).toLocaleString() : none;
}

export function TokensScreen() {
  const client = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiTokenView | null>(null);
  const query = useQuery({ queryKey: tokensKey, queryFn: () => apiFetch<{ items: ApiTokenView[] }>("/api/v1/tokens") });
  const revoke = useMutation({
    mutationFn: (id: string) => apiFetch(`/api/v1/tokens/${id}`, { method: "DELETE" }),
    onSettled: () => client.invalidateQueries({ queryKey: tokensKey }),
    onSuccess: () => setRevoking(null),
  });
  return (
    <>
      <PageHeader
        title="API tokens"
        description={
          <>
            For automation: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts with its role; its value
            is shown once, at creation.
          </>
        }
        actions={<Button onClick={() => setCreating(true)}>New token</Button>}
      />
      {query.error && <Notice tone="error">Could not load tokens: {query.error.message}</Notice>}
      {query.isPending && <p role="status">Loading tokens…</p>}
      {query.data?.items.length === 0 && (
        <Notice tone="info">No API tokens yet. Create one to script the console over the REST API.</Notice>
      )}
      {query.data && query.data.items.length > 0 && (
        <Table
          caption="API tokens"
          head={
            <tr>
              <th className={th}>Name</th>
              <th className={th}>Role</th>
              <th className={th}>Starts with</th>
              <th className={th}>Created</th>
              <th className={th}>Expires</th>
              <th className={th}>Last used</th>
              <th className={th}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          }
        >
          {query.data.items.map((t) => (
            <tr key={t.id} data-testid={`token-${t.name}`}>
              <td className={td}>{t.name}</td>
              <td className={td}>{t.role}</td>
              <td className={`${td} font-mono text-xs`}>{t.prefix}…</td>
              <td className={td}>
                {when(t.createdAt, "")} by {t.createdBy}
              </td>
              <td className={td}>{when(t.expiresAt, "never")}</td>
              <td className={td}>{when(t.lastUsedAt, "never")}</td>
              <td className={`${td} text-right`}>
                {t.revokedAt ? (
                  <span className="text-red-800">revoked</span>
                ) : (
                  <Button variant="danger" onClick={() => setRevoking(t)}>
                    Revoke
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
      {creating && <CreateTokenDialog onClose={() => setCreating(false)} />}
      {revoking && (
        <Dialog open title={`Revoke token ${revoking.name}?`} onClose={() => setRevoking(null)}>
          {revoke.error && <Notice tone="error">{revoke.error.message}</Notice>}
          <p className="mb-4 text-sm">Scripts using it stop working at once. This cannot be undone.</p>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setRevoking(null)}>
              Cancel
            </Button>
            <Button variant="danger" disabled={revoke.isPending} onClick={() => revoke.mutate(revoking.id)}>
              Revoke token
            </Button>
          </div>
        </Dialog>
      )}
    </>
  );
}
