"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { useCan } from "@/components/shell/operator-context";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { endpointTypes, type EndpointTypeId } from "@/lib/domain/challenge-mode-recommender";
import type { ChecklistAnswers, StepId, StepResult, StepStatus } from "@/lib/domain/checklist";

type StepView = { id: StepId; title: string; description: string; result: StepResult | null };
type ChecklistState = { answers: ChecklistAnswers; steps: StepView[]; passed: number };

const badge: Record<StepStatus, string> = {
  pass: "bg-green-100 text-green-900 border-green-300",
  warn: "bg-amber-100 text-amber-900 border-amber-300",
  fail: "bg-red-100 text-red-900 border-red-300",
  waiting: "bg-blue-100 text-blue-900 border-blue-300",
};

function useGatewayOptions(kind: "mapping-gateways" | "routing-gateways") {
  return useQuery({
    queryKey: [kind, "checklist-options"],
    queryFn: () =>
      apiFetch<{ items: Array<{ id: string; name: string; authMode?: string }> }>(
        `/api/v1/${kind}?pageSize=500&sort=name`,
      ),
  });
}

function StepInputs({
  step,
  answers,
  save,
  disabled,
}: {
  step: StepId;
  answers: ChecklistAnswers;
  save: (a: Partial<ChecklistAnswers>) => void;
  disabled: boolean;
}) {
  const mapping = useGatewayOptions("mapping-gateways");
  const routing = useGatewayOptions("routing-gateways");
  const [number, setNumber] = useState(answers.number ?? "");
  // Ticks show at once; the server keeps them for the next visit
  const [types, setTypes] = useState(answers.endpointTypes);
  if (step === 1) {
    const toggle = (id: EndpointTypeId) => {
      const next = types.includes(id) ? types.filter((t) => t !== id) : [...types, id];
      setTypes(next);
      save({ endpointTypes: next });
    };
    return (
      <fieldset className="mb-3" disabled={disabled}>
        <legend className="mb-1 text-sm font-medium">Endpoint types on this network</legend>
        <div className="grid gap-1 sm:grid-cols-2">
          {endpointTypes.map((t) => (
            <label key={t.id} className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={types.includes(t.id)} onChange={() => toggle(t.id)} /> {t.label}
            </label>
          ))}
        </div>
      </fieldset>
    );
  }
  if (step === 6) {
    return (
      <SelectField
        label="Password gateway whose device will register"
        value={answers.registrationGatewayId ?? ""}
        disabled={disabled}
        onChange={(e) => save({ registrationGatewayId: e.target.value || null })}
        hint="Checking starts a trace on it; then make the device register (or re-register) and check again."
      >
        <option value="">Choose…</option>
        {mapping.data?.items
          .filter((g) => g.authMode === "password")
          .map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
      </SelectField>
    );
  }
  if (step === 7) {
    return (
      <div className="grid gap-x-4 sm:grid-cols-2">
        <SelectField
          label="Carrier to test"
          value={answers.carrierId ?? ""}
          disabled={disabled}
          onChange={(e) => save({ carrierId: e.target.value || null })}
        >
          <option value="">Choose…</option>
          {routing.data?.items.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Test number"
          value={number}
          disabled={disabled}
          onChange={(e) => setNumber(e.target.value)}
          onBlur={() => save({ number: number.trim() || null })}
          hint="A number the carrier accepts; the test call hangs up at once."
        />
      </div>
    );
  }
  return null;
}

function StepCard({
  step,
  answers,
  canRun,
  onSaved,
}: {
  step: StepView;
  answers: ChecklistAnswers;
  canRun: boolean;
  onSaved: () => Promise<void>;
}) {
  const save = useMutation({
    mutationFn: (a: Partial<ChecklistAnswers>) => apiFetch("/api/v1/checklist", { method: "PATCH", body: a }),
    onSuccess: onSaved,
  });
  // A check waits for the answer typed just before (the field's blur saves it as the button is clicked)
  const lastSave = useRef<Promise<unknown>>(Promise.resolve());
  const saveAnswers = (a: Partial<ChecklistAnswers>) => {
    // One after the other: each save merges into what the previous one stored
    lastSave.current = lastSave.current
      .then(() => save.mutateAsync(a))
      .catch(() => "the failure is shown from save.error");
  };
  const run = useMutation({
    mutationFn: async () => {
      await lastSave.current;
      return apiFetch<StepResult>(`/api/v1/checklist/steps/${step.id}`, { method: "POST" });
    },
    onSuccess: onSaved,
  });
  const r = step.result;
  // Waiting for the device (step 6): look again every few seconds until it registers or fails
  const waiting = r?.status === "waiting" && canRun && !run.isPending;
  const { mutate: check } = run;
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => check(), 3000);
    return () => clearTimeout(timer);
  }, [waiting, r?.checkedAt, check]);
  return (
    <li
      className="rounded-lg border border-slate-200 bg-white p-4"
      data-testid={`step-${step.id}`}
      data-status={r?.status ?? "unchecked"}
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 className="text-base font-semibold">
            {step.id}. {step.title}
          </h2>
          <p className="text-sm text-slate-700">{step.description}</p>
        </div>
        <span
          className={`rounded border px-2 py-0.5 text-xs font-semibold uppercase ${r ? badge[r.status] : "border-slate-300 bg-slate-100 text-slate-700"}`}
          data-testid="step-status"
        >
          {r ? r.status : "not checked"}
        </span>
      </div>
      <div className="mt-3">
        <StepInputs step={step.id} answers={answers} save={saveAnswers} disabled={!canRun} />
        {save.error && <Notice tone="error">{save.error.message}</Notice>}
        {run.error && <Notice tone="error">{run.error.message}</Notice>}
        {r && (
          <div className="mb-2 text-sm" data-testid="step-result">
            <p className="font-medium">{r.summary}</p>
            {r.fix && (
              <p className="mt-1">
                Fix:{" "}
                <Link className="text-blue-800 underline" href={r.fix.href}>
                  {r.fix.label}
                </Link>
              </p>
            )}
            {r.evidence.length > 0 && (
              <details className="mt-1">
                <summary className="cursor-pointer text-slate-700">
                  Evidence ({r.evidence.length}) · checked {new Date(r.checkedAt).toLocaleTimeString()}
                </summary>
                <ul className="ml-5 list-disc text-xs text-slate-800">
                  {r.evidence.map((e, i) => (
                    <li key={i}>{e}</li>
                  ))}
                </ul>
              </details>
            )}
            {r.messages && r.messages.length > 0 && (
              <details className="mt-1">
                <summary className="cursor-pointer text-slate-700">SIP messages ({r.messages.length})</summary>
                <ol className="text-xs">
                  {r.messages.map((m, i) => (
                    <li key={i} className="font-mono">
                      {m.direction === "in" ? "←" : "→"} {m.text.slice(0, m.text.indexOf("\r\n"))}
                    </li>
                  ))}
                </ol>
              </details>
            )}
          </div>
        )}
        {canRun && (
          <Button
            variant={r?.status === "pass" ? "secondary" : "primary"}
            disabled={run.isPending}
            onClick={() => run.mutate()}
          >
            {run.isPending ? "Checking…" : r ? "Check again" : "Check"}
          </Button>
        )}
      </div>
    </li>
  );
}

export function ChecklistScreen() {
  const client = useQueryClient();
  const canRun = useCan("operator");
  const state = useQuery({ queryKey: ["checklist"], queryFn: () => apiFetch<ChecklistState>("/api/v1/checklist") });
  const refresh = () => client.invalidateQueries({ queryKey: ["checklist"] });
  const reset = useMutation({
    mutationFn: () => apiFetch("/api/v1/checklist", { method: "DELETE" }),
    onSuccess: refresh,
  });
  const data = state.data;
  return (
    <>
      <PageHeader
        title="Deployment checklist"
        description="Eight steps that prove a new deployment works, each checked against the live softswitch. Your progress is kept: come back and resume, or check again after a change."
        actions={
          data && (
            <>
              <Button variant="secondary" onClick={() => window.print()}>
                Print
              </Button>
              <a
                className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100"
                href="/api/v1/checklist/summary"
                download
              >
                Save summary
              </a>
              {canRun && (
                <Button variant="secondary" onClick={() => reset.mutate()} disabled={reset.isPending}>
                  Start over
                </Button>
              )}
            </>
          )
        }
      />
      {state.error && <Notice tone="error">{state.error.message}</Notice>}
      {data && (
        <>
          <p className="mb-3 text-sm" data-testid="checklist-progress">
            <strong>
              {data.passed} of {data.steps.length}
            </strong>{" "}
            steps pass.{data.passed === data.steps.length && " The deployment is verified."}
          </p>
          {!canRun && <Notice tone="info">Checking needs the operator role; you can read the results.</Notice>}
          <ol className="space-y-3">
            {data.steps.map((s) => (
              <StepCard key={s.id} step={s} answers={data.answers} canRun={canRun} onSaved={refresh} />
            ))}
          </ol>
        </>
      )}
    </>
  );
}
