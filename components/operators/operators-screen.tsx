"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { CreateOperatorDialog } from "@/components/operators/create-operator-dialog";
import { ResetPasswordDialog } from "@/components/operators/reset-password-dialog";
import { useOperator } from "@/components/shell/operator-context";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Table, td, th } from "@/components/ui/table";
import { roles, type Role } from "@/lib/domain/roles";
import type { OperatorView } from "@/lib/domain/operator";

import { operatorsKey } from "@/components/operators/operators-query";

export function OperatorsScreen() {
  const me = useOperator();
  const client = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<OperatorView | null>(null);
  const query = useQuery({
    queryKey: operatorsKey,
    queryFn: () => apiFetch<{ items: OperatorView[] }>("/api/v1/operators"),
  });
  const update = useMutation({
    mutationFn: (p: { id: string; version: number; role?: Role; disabled?: boolean }) =>
      apiFetch<OperatorView>(`/api/v1/operators/${p.id}`, {
        method: "PATCH",
        body: { version: p.version, role: p.role, disabled: p.disabled },
      }),
    onSettled: () => client.invalidateQueries({ queryKey: operatorsKey }),
  });
  return (
    <>
      <PageHeader
        title="Operators"
        description="People who sign in to the console. Admins manage everything, operators edit configuration, viewers only read."
        actions={<Button onClick={() => setCreating(true)}>New operator</Button>}
      />
      {update.error && <Notice tone="error">{update.error.message}</Notice>}
      {query.error && <Notice tone="error">Could not load operators: {query.error.message}</Notice>}
      {query.isPending && <p role="status">Loading operators…</p>}
      {query.data && (
        <Table
          caption="Operators"
          head={
            <tr>
              <th className={th}>Username</th>
              <th className={th}>Role</th>
              <th className={th}>Status</th>
              <th className={th}>Created</th>
              <th className={th}>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          }
        >
          {query.data.items.map((o) => (
            <tr key={o.id} data-testid={`operator-${o.username}`}>
              <td className={td}>
                {o.username}
                {o.username === me.username && <span className="ml-1 text-xs text-slate-600">(you)</span>}
              </td>
              <td className={td}>
                <label className="sr-only" htmlFor={`role-${o.id}`}>
                  Role of {o.username}
                </label>
                <select
                  id={`role-${o.id}`}
                  value={o.role}
                  className="rounded-md border border-slate-400 bg-white px-1 py-1 text-sm"
                  onChange={(e) => update.mutate({ id: o.id, version: o.version, role: e.target.value as Role })}
                >
                  {roles.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </td>
              <td className={td}>
                {o.disabled ? <span className="font-medium text-red-800">disabled</span> : "active"}
              </td>
              <td className={td}>{new Date(o.createdAt).toLocaleString()}</td>
              <td className={`${td} space-x-2 text-right`}>
                <Button variant="secondary" onClick={() => setResetting(o)}>
                  Reset password
                </Button>
                <Button
                  variant={o.disabled ? "secondary" : "danger"}
                  onClick={() => update.mutate({ id: o.id, version: o.version, disabled: !o.disabled })}
                >
                  {o.disabled ? "Enable" : "Disable"}
                </Button>
              </td>
            </tr>
          ))}
        </Table>
      )}
      {creating && <CreateOperatorDialog onClose={() => setCreating(false)} />}
      {resetting && <ResetPasswordDialog operator={resetting} onClose={() => setResetting(null)} />}
    </>
  );
}
