"use client";

import Link from "next/link";
import { useRef } from "react";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import type { EngineStatus } from "@/lib/domain/control-api";

type EngineView = ({ url: string; up: true } & EngineStatus) | { url: string; up: false; error: string };
type Overview = {
  active: { version: number; hash: string };
  supervised: boolean;
  restarts: number;
  lastExit: string | null;
  engines: EngineView[];
};

const sum = (counters: Record<string, number>, prefix: string) =>
  Object.entries(counters)
    .filter(([k]) => k.startsWith(prefix))
    .reduce((total, [, v]) => total + v, 0);

function Card({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <p className="text-sm text-slate-700">{label}</p>
      <p className="mt-1 text-2xl font-semibold">{value}</p>
      {hint && <p className="mt-1 text-xs text-slate-700">{hint}</p>}
    </div>
  );
}

export function DashboardScreen() {
  const previous = useRef<{ at: number; requests: number; failures: number } | null>(null);
  const overview = useQuery({
    queryKey: ["engine"],
    queryFn: () => apiFetch<Overview>("/api/v1/engine"),
    refetchInterval: 5000,
  });
  const data = overview.data;
  const engine = data?.engines[0];
  let perMinute: { requests: number; failures: number } | null = null;
  if (engine?.up) {
    const now = {
      at: Date.now(),
      requests: sum(engine.counters, "sip_requests_received_total"),
      failures: sum(engine.counters, "auth_failures_total"),
    };
    const before = previous.current;
    if (before && now.at > before.at) {
      const minutes = (now.at - before.at) / 60_000;
      perMinute = {
        requests: Math.round((now.requests - before.requests) / minutes),
        failures: Math.round((now.failures - before.failures) / minutes),
      };
    }
    if (!before || now.at - before.at > 4000) previous.current = now;
  }
  return (
    <>
      <PageHeader title="Dashboard" description="Is the softswitch up, and does it run the latest configuration?" />
      {overview.error && <Notice tone="error">Could not ask the console: {overview.error.message}</Notice>}
      {data?.engines.map((e) =>
        e.up ? null : (
          <Notice key={e.url} tone="error">
            Engine at {e.url} is down: {e.error}
            {data.supervised ? " The console restarts it automatically." : ""}
          </Notice>
        ),
      )}
      {engine?.up && engine.version !== data?.active.version && (
        <Notice tone="warning">
          The engine runs version {engine.version}, the latest applied is {data?.active.version}.{" "}
          <Link className="underline" href="/reload">
            Reload
          </Link>{" "}
          to bring it up to date.
        </Notice>
      )}
      {data && (
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4" data-testid="dashboard">
          <Card
            label="Engine"
            value={engine?.up ? "Up" : "Down"}
            hint={
              data.supervised
                ? `supervised by the console · ${data.restarts} restart${data.restarts === 1 ? "" : "s"}`
                : "started on its own (ENGINE_URL)"
            }
          />
          <Card
            label="Running version"
            value={engine?.up ? String(engine.version) : "—"}
            hint={`latest applied: ${data.active.version}`}
          />
          <Card
            label="Uptime"
            value={
              engine?.up
                ? `${Math.floor(engine.uptimeSeconds / 3600)} h ${Math.floor((engine.uptimeSeconds % 3600) / 60)} min`
                : "—"
            }
            hint={
              engine?.up
                ? `at its start: ${engine.counters.calls_resumed_total ?? 0} call(s) resumed, ${engine.counters.calls_ended_at_restart_total ?? 0} in setup ended`
                : undefined
            }
          />
          <Card
            label="Registrations"
            value={engine?.up ? String(engine.counters.registrations ?? 0) : "—"}
            hint="live bindings of Password gateways"
          />
          <Card label="Requests per minute" value={perMinute ? String(perMinute.requests) : "…"} />
          <Card label="Authentication failures per minute" value={perMinute ? String(perMinute.failures) : "…"} />
          <Card
            label="Listeners"
            value={engine?.up ? engine.listeners.map((l) => `${l.transport.toUpperCase()} ${l.port}`).join(" · ") : "—"}
            hint={engine?.up ? engine.listeners[0]?.host : undefined}
          />
          <Card label="Active hash" value={data.active.hash.slice(0, 12)} />
        </div>
      )}
    </>
  );
}
