"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch, ApiRequestError } from "@/components/api-client";
import { operatorsKey } from "@/components/operators/operators-query";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { roles } from "@/lib/domain/roles";

export function CreateOperatorDialog({ onClose }: { onClose: () => void }) {
  const client = useQueryClient();
  const [form, setForm] = useState({ username: "", password: "", role: "viewer" });
  const create = useMutation({
    mutationFn: () => apiFetch("/api/v1/operators", { method: "POST", body: form }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: operatorsKey });
      onClose();
    },
  });
  const fieldError = (path: string) =>
    create.error instanceof ApiRequestError ? create.error.fieldError(path) : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Dialog open title="New operator" onClose={onClose}>
      {create.error && <Notice tone="error">{create.error.message}</Notice>}
      <form onSubmit={submit} noValidate>
        <TextField
          label="Username"
          value={form.username}
          onChange={(e) => setForm({ ...form, username: e.target.value })}
          error={fieldError("username")}
          autoComplete="off"
        />
        <TextField
          label="Initial password"
          type="password"
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
          error={fieldError("password")}
          hint="At least 12 characters; tell it to the person privately."
          autoComplete="new-password"
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
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create operator"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
