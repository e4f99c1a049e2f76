"use client";

import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { apiFetch, ApiRequestError } from "@/components/api-client";
import { AuthCard } from "@/components/auth/auth-card";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";

export function SetupForm() {
  const [form, setForm] = useState({ code: "", username: "admin", password: "", confirm: "" });
  const [mismatch, setMismatch] = useState(false);
  const setup = useMutation({
    mutationFn: () =>
      apiFetch("/api/auth/setup", {
        method: "POST",
        body: { code: form.code, username: form.username, password: form.password },
      }),
    onSuccess: () => window.location.assign("/login"),
  });
  const fieldError = (path: string) =>
    setup.error instanceof ApiRequestError ? setup.error.fieldError(path) : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMismatch(form.password !== form.confirm);
    if (form.password === form.confirm) setup.mutate();
  };
  const update = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });
  return (
    <AuthCard
      title="Create the first administrator"
      intro={
        <>
          The console printed a one-time <strong>setup code</strong> in its start log. Enter it here to create the
          administrator; this page closes for good afterwards.
        </>
      }
    >
      {setup.error && <Notice tone="error">{setup.error.message}</Notice>}
      <form onSubmit={submit} noValidate>
        <TextField
          label="Setup code"
          name="code"
          autoComplete="off"
          required
          value={form.code}
          onChange={update("code")}
          error={fieldError("code")}
          placeholder="XXXX-XXXX-XXXX-XXXX"
        />
        <TextField
          label="Administrator username"
          name="username"
          autoComplete="username"
          required
          value={form.username}
          onChange={update("username")}
          error={fieldError("username")}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          value={form.password}
          onChange={update("password")}
          error={fieldError("password")}
          hint="At least 12 characters."
        />
        <TextField
          label="Repeat password"
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          value={form.confirm}
          onChange={update("confirm")}
          error={mismatch ? "the two passwords differ" : undefined}
        />
        <Button type="submit" className="w-full" disabled={setup.isPending}>
          {setup.isPending ? "Creating…" : "Create administrator"}
        </Button>
      </form>
    </AuthCard>
  );
}
