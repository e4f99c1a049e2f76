"use client";

import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { apiFetch, ApiRequestError } from "@/components/api-client";
import { useCan } from "@/components/shell/operator-context";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import type { TestCallResult } from "@/lib/domain/cdr";

/** The engine sends OPTIONS and a test INVITE to this carrier (answering its challenge) and shows what was said. */
export function TestCallPanel({ gatewayId }: { gatewayId: string }) {
  const canTest = useCan("operator");
  const [number, setNumber] = useState("");
  const test = useMutation({
    mutationFn: () =>
      apiFetch<TestCallResult>(`/api/v1/routing-gateways/${gatewayId}/test`, { method: "POST", body: { number } }),
  });
  if (!canTest) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    test.mutate();
  };
  const r = test.data;
  return (
    <section
      className="mt-8 max-w-3xl rounded-lg border border-slate-200 bg-white p-4"
      aria-labelledby="test-call-title"
    >
      <h2 id="test-call-title" className="mb-2 text-lg font-semibold">
        Test this carrier
      </h2>
      <p className="mb-3 text-sm text-slate-700">
        Uses the running configuration: reload first if you just changed this gateway.
      </p>
      <form onSubmit={submit} className="flex items-end gap-2">
        <div className="w-64">
          <TextField
            label="Number to call"
            value={number}
            onChange={(e) => setNumber(e.target.value)}
            error={test.error instanceof ApiRequestError ? test.error.fieldError("number") : undefined}
          />
        </div>
        <Button type="submit" className="mb-3" disabled={test.isPending}>
          {test.isPending ? "Testing…" : "Test"}
        </Button>
      </form>
      {test.error && !(test.error instanceof ApiRequestError && test.error.fieldError("number")) && (
        <Notice tone="error">{test.error.message}</Notice>
      )}
      {r && (
        <div data-testid="test-call-result">
          <Notice tone={r.ok ? "success" : "error"}>{r.summary}</Notice>
          <p className="mb-2 text-sm">
            OPTIONS: {r.options.code ?? "no answer"} {r.options.reason} · INVITE: {r.invite.code ?? "no answer"}{" "}
            {r.invite.reason}
            {r.invite.challenged ? " (after a challenge)" : ""}
          </p>
          <details>
            <summary className="cursor-pointer text-sm font-medium">SIP messages ({r.messages.length})</summary>
            {r.messages.map((m, i) => (
              <pre
                key={i}
                tabIndex={0}
                aria-label={`${m.direction === "out" ? "Sent" : "Received"} message ${i + 1}`}
                className={`mt-2 overflow-x-auto rounded p-2 text-xs ${m.direction === "out" ? "bg-blue-50" : "bg-slate-100"}`}
              >
                {m.direction === "out" ? "→ sent" : "← received"} {m.at}
                {"\n"}
                {m.text}
              </pre>
            ))}
          </details>
        </div>
      )}
    </section>
  );
}
