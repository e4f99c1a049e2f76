"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch, ApiRequestError } from "@/components/api-client";
import { operatorsKey } from "@/components/operators/operators-query";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import type { OperatorView } from "@/lib/domain/operator";

export function ResetPasswordDialog({ operator, onClose }: { operator: OperatorView; onClose: () => void }) {
  const client = useQueryClient();
  const [password, setPassword] = useState("");
  const reset = useMutation({
    mutationFn: () =>
      apiFetch(`/api/v1/operators/${operator.id}`, { method: "PATCH", body: { version: operator.version, password } }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: operatorsKey });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    reset.mutate();
  };
  return (
    <Dialog open title={`Reset password of ${operator.username}`} onClose={onClose}>
      {reset.error && <Notice tone="error">{reset.error.message}</Notice>}
      <p className="mb-3 text-sm text-slate-700">Their open sessions end at once.</p>
      <form onSubmit={submit} noValidate>
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={reset.error instanceof ApiRequestError ? reset.error.fieldError("password") : undefined}
          hint="At least 12 characters."
        />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={reset.isPending}>
            Reset password
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
