"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { apiFetch, ApiRequestError } from "@/components/api-client";
import { SimulationColumn } from "@/components/simulator/simulation-result";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import type { ComparedSection, SimulationResponse } from "@/lib/domain/route-simulation";

const sectionNames: Record<ComparedSection, string> = {
  outcome: "the outcome",
  identification: "the identification",
  challenge: "the challenge",
  refusals: "the refusals",
  rewrites: "the rewrites",
  routes: "the routing gateways",
};

const empty = {
  sourceAddress: "",
  sourcePort: "5060",
  transport: "udp",
  method: "INVITE",
  caller: "",
  callee: "",
  digestUsername: "",
};

function SimulateForm({ onResult }: { onResult: (r: SimulationResponse) => void }) {
  const [form, setForm] = useState(empty);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const simulate = useMutation({
    mutationFn: () =>
      apiFetch<SimulationResponse>("/api/v1/simulate", {
        method: "POST",
        body: { ...form, sourcePort: form.sourcePort === "" ? undefined : Number(form.sourcePort) },
      }),
    onSuccess: onResult,
  });
  const fieldError = (path: string) =>
    simulate.error instanceof ApiRequestError ? simulate.error.fieldError(path) : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    simulate.mutate();
  };
  return (
    <form
      onSubmit={submit}
      aria-labelledby="request-heading"
      className="mb-6 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="request-heading" className="mb-2 text-lg font-semibold">
        Request
      </h2>
      {simulate.error && <Notice tone="error">{simulate.error.message}</Notice>}
      <div className="grid gap-x-4 sm:grid-cols-2 lg:grid-cols-4">
        <TextField
          label="Source address"
          required
          value={form.sourceAddress}
          onChange={set("sourceAddress")}
          error={fieldError("sourceAddress")}
          placeholder="192.0.2.10"
          hint="IPv4 or IPv6, as the engine sees the sender."
        />
        <TextField
          label="Source port"
          type="number"
          min={1}
          max={65535}
          required
          value={form.sourcePort}
          onChange={set("sourcePort")}
          error={fieldError("sourcePort")}
        />
        <SelectField
          label="Transport"
          value={form.transport}
          onChange={set("transport")}
          error={fieldError("transport")}
        >
          <option value="udp">UDP</option>
          <option value="tcp">TCP</option>
        </SelectField>
        <SelectField label="Method" value={form.method} onChange={set("method")} error={fieldError("method")}>
          <option value="INVITE">INVITE (a call)</option>
          <option value="REGISTER">REGISTER</option>
        </SelectField>
        <TextField
          label="Caller"
          required
          inputMode="tel"
          value={form.caller}
          onChange={set("caller")}
          error={fieldError("caller")}
          placeholder="1000"
          hint="The From user: digits, optional leading +."
        />
        <TextField
          label="Callee"
          required
          inputMode="tel"
          value={form.callee}
          onChange={set("callee")}
          error={fieldError("callee")}
          placeholder="004412345678"
          hint="The Request-URI user: digits, optional leading +."
        />
        <TextField
          label="Digest username (optional)"
          value={form.digestUsername}
          onChange={set("digestUsername")}
          error={fieldError("digestUsername")}
          hint="To simulate a Password gateway answering the challenge as this user."
        />
      </div>
      <Button type="submit" disabled={simulate.isPending}>
        {simulate.isPending ? "Simulating…" : "Simulate"}
      </Button>
    </form>
  );
}

export function SimulatorScreen() {
  const [result, setResult] = useState<SimulationResponse | null>(null);
  const differs = new Set(result?.differences ?? []);
  return (
    <>
      <PageHeader
        title="Route simulator"
        description="A dry run before a reload: how the engine would identify, challenge and route one request, decided by the engine's own rules against the running configuration and against the pending one. Nothing is sent."
      />
      <SimulateForm onResult={setResult} />
      {!result ? (
        <Notice tone="info">
          Enter the source address and port a request comes from, its caller and callee numbers and the transport, then
          press Simulate. Add a digest username to follow a Password gateway past its challenge. You will see, side by
          side for the running and the pending configuration, which mapping gateway matches and how it is challenged,
          any refusal, the number rewrites step by step and the routing gateways in the order they would be tried.
        </Notice>
      ) : (
        <>
          {result.differences.length === 0 ? (
            <Notice tone="info">
              A reload changes nothing for this request
              {result.pendingChanges > 0
                ? ` (${result.pendingChanges} pending change(s) do not touch it)`
                : " (nothing is pending)"}
              .
            </Notice>
          ) : (
            <Notice tone="warning">
              A reload would change {result.differences.map((d) => sectionNames[d]).join(", ")} for this request; the
              differences are marked below.{" "}
              <Link className="underline" href="/reload">
                Review pending changes
              </Link>
              .
            </Notice>
          )}
          <p className="mb-4 text-sm text-slate-700" data-testid="live-state">
            {result.live.text}
          </p>
          <div className="grid gap-6 lg:grid-cols-2">
            <SimulationColumn
              result={result.running}
              title={`Running (version ${result.running.config.version})`}
              differs={differs}
            />
            <SimulationColumn result={result.pending} title="Pending (after a reload)" differs={differs} />
          </div>
        </>
      )}
    </>
  );
}
