"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch, ApiRequestError } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { roles } from "@/lib/domain/roles";
import { tokensKey } from "@/components/tokens/tokens-query";

export function CreateTokenDialog({ onClose }: { onClose: () => void }) {
  const client = useQueryClient();
  const [form, setForm] = useState({ name: "", role: "viewer", expiresOn: "" });
  const create = useMutation({
    mutationFn: () =>
      apiFetch<{ token: string }>("/api/v1/tokens", {
        method: "POST",
        body: {
          name: form.name,
          role: form.role,
          expiresAt: form.expiresOn ? new Date(`${form.expiresOn}T23:59:59`).toISOString() : null,
        },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: tokensKey }),
  });
  const fieldError = (path: string) =>
    create.error instanceof ApiRequestError ? create.error.fieldError(path) : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  if (create.data) {
    return (
      <Dialog open title="Token created" onClose={onClose}>
        <Notice tone="warning">Copy it now: it is shown only this once.</Notice>
        <label htmlFor="new-token" className="block text-sm font-medium">
          Token
        </label>
        <input
          id="new-token"
          readOnly
          value={create.data.token}
          data-testid="new-token"
          className="mb-4 mt-1 w-full rounded-md border border-slate-400 px-2 py-1.5 font-mono text-xs"
          onFocus={(e) => e.target.select()}
        />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => navigator.clipboard?.writeText(create.data.token)}>
            Copy
          </Button>
          <Button onClick={onClose}>Done</Button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog open title="New API token" onClose={onClose}>
      {create.error && <Notice tone="error">{create.error.message}</Notice>}
      <form onSubmit={submit} noValidate>
        <TextField
          label="Name"
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          error={fieldError("name")}
          hint="What uses it, e.g. “billing export”."
        />
        <SelectField
          label="Role"
          value={form.role}
          onChange={(e) => setForm({ ...form, role: e.target.value })}
          error={fieldError("role")}
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Expires on (optional)"
          type="date"
          value={form.expiresOn}
          onChange={(e) => setForm({ ...form, expiresOn: e.target.value })}
          error={fieldError("expiresAt")}
        />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={create.isPending}>
            Create token
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
