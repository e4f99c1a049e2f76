"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { apiFetch, ApiRequestError } from "@/components/api-client";
import { useCan } from "@/components/shell/operator-context";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Table, td, th } from "@/components/ui/table";
import type { TraceSessionView } from "@/lib/domain/trace";

type GatewayOption = { id: string; name: string };
const GATEWAY_LIMIT = 500;

function useGateways(kind: "mapping-gateways" | "routing-gateways") {
  return useQuery({
    queryKey: [kind, "trace-options"],
    queryFn: () =>
      apiFetch<{ items: GatewayOption[]; total: number }>(`/api/v1/${kind}?pageSize=${GATEWAY_LIMIT}&sort=name`),
  });
}

function StartTraceForm() {
  const router = useRouter();
  const mapping = useGateways("mapping-gateways");
  const routing = useGateways("routing-gateways");
  const [form, setForm] = useState({
    minutes: "10",
    mappingGatewayId: "",
    routingGatewayId: "",
    address: "",
    number: "",
    callId: "",
    method: "",
  });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const start = useMutation({
    mutationFn: () => {
      const body = Object.fromEntries(
        Object.entries({ ...form, minutes: Number(form.minutes) }).filter(([, v]) => v !== ""),
      );
      return apiFetch<TraceSessionView>("/api/v1/traces", { method: "POST", body });
    },
    onSuccess: (trace) => router.push(`/traces/${trace.id}`),
  });
  const fieldError = (path: string) =>
    start.error instanceof ApiRequestError ? start.error.fieldError(path) : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate();
  };
  const capped = (q: typeof mapping) =>
    q.data && q.data.total > GATEWAY_LIMIT
      ? `The first ${GATEWAY_LIMIT} by name; filter by address for the others.`
      : undefined;
  return (
    <form onSubmit={submit} aria-label="Start a trace" className="mb-6 rounded-lg border border-slate-200 bg-white p-4">
      <h2 className="mb-2 text-lg font-semibold">Start a trace</h2>
      <p className="mb-3 text-sm text-slate-700">
        Every message in and out that matches all the filters you set is kept, and so is the rest of each call or
        registration it belongs to. Leave every filter empty to capture everything (busy switches: set a filter).
      </p>
      {start.error && <Notice tone="error">{start.error.message}</Notice>}
      <div className="grid gap-x-4 sm:grid-cols-2 lg:grid-cols-4">
        <TextField
          label="Minutes"
          type="number"
          min={1}
          max={60}
          required
          value={form.minutes}
          onChange={set("minutes")}
          error={fieldError("minutes")}
          hint="1 to 60; you can stop it earlier."
        />
        <SelectField
          label="Mapping gateway"
          value={form.mappingGatewayId}
          onChange={set("mappingGatewayId")}
          hint={capped(mapping)}
        >
          <option value="">Any</option>
          {mapping.data?.items.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Routing gateway"
          value={form.routingGatewayId}
          onChange={set("routingGatewayId")}
          hint={capped(routing)}
        >
          <option value="">Any</option>
          {routing.data?.items.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Address"
          value={form.address}
          onChange={set("address")}
          error={fieldError("address")}
          placeholder="203.0.113.5"
        />
        <TextField
          label="Number"
          value={form.number}
          onChange={set("number")}
          error={fieldError("number")}
          hint="Caller or callee, in part."
        />
        <TextField label="Call-ID" value={form.callId} onChange={set("callId")} error={fieldError("callId")} />
        <SelectField label="Method" value={form.method} onChange={set("method")} error={fieldError("method")}>
          <option value="">Any</option>
          {["REGISTER", "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS"].map((m) => (
            <option key={m}>{m}</option>
          ))}
        </SelectField>
      </div>
      <Button type="submit" disabled={start.isPending}>
        {start.isPending ? "Starting…" : "Start trace"}
      </Button>
    </form>
  );
}

export function TracesScreen() {
  const canStart = useCan("operator");
  const traces = useQuery({
    queryKey: ["traces"],
    queryFn: () => apiFetch<{ items: TraceSessionView[] }>("/api/v1/traces"),
    refetchInterval: 5000,
  });
  const items = traces.data?.items ?? [];
  return (
    <>
      <PageHeader
        title="Debug trace"
        description="What was said on the wire, message by message: start a trace, reproduce the problem, read the ladder. Exports open in Wireshark."
      />
      {canStart && <StartTraceForm />}
      <h2 className="mb-2 text-lg font-semibold">Traces</h2>
      {traces.error && <Notice tone="error">{traces.error.message}</Notice>}
      {traces.data && items.length === 0 && (
        <Notice tone="info">
          No trace yet. {canStart ? "Start one above, then reproduce the problem." : "An operator can start one."}
        </Notice>
      )}
      {items.length > 0 && (
        <Table
          caption="Traces"
          head={
            <tr>
              <th className={th}>Filters</th>
              <th className={th}>Started</th>
              <th className={th}>By</th>
              <th className={th}>State</th>
              <th className={th}>Messages</th>
            </tr>
          }
        >
          {items.map((t) => (
            <tr key={t.id} data-testid="trace-row">
              <td className={td}>
                <Link className="text-blue-800 underline" href={`/traces/${t.id}`}>
                  {t.description}
                </Link>
              </td>
              <td className={td}>{new Date(t.createdAt).toLocaleString()}</td>
              <td className={td}>{t.createdBy}</td>
              <td className={td}>
                {t.active
                  ? `running until ${new Date(t.endsAt).toLocaleTimeString()}`
                  : t.stoppedAt
                    ? `stopped by ${t.stoppedBy}`
                    : "ended"}
              </td>
              <td className={td}>
                {t.messageCount}
                {t.lost > 0 && <span className="ml-1 text-red-800">({t.lost} lost)</span>}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
