"use client";

import Link from "next/link";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import type { DoctorFinding } from "@/lib/domain/auth-doctor";

type Diagnosis = { findings: DoctorFinding[]; messages: number; source: "trace" | "engine" };

/** "Why did this fail?": the auth doctor for a Call-ID, a mapping gateway or a source address. */
export function DoctorPanel({
  query,
  label = "Ask the auth doctor",
}: {
  query: Record<string, string>;
  label?: string;
}) {
  const [asked, setAsked] = useState(false);
  const params = new URLSearchParams(query).toString();
  const diagnosis = useQuery({
    queryKey: ["doctor", params],
    queryFn: () => apiFetch<Diagnosis>(`/api/v1/doctor?${params}`),
    enabled: asked,
  });
  if (!asked)
    return (
      <Button variant="secondary" onClick={() => setAsked(true)}>
        {label}
      </Button>
    );
  return (
    <section
      aria-label="Auth doctor"
      className="mt-2 rounded-lg border border-slate-300 bg-white p-3"
      data-testid="doctor"
    >
      <h3 className="mb-2 text-sm font-semibold">Auth doctor</h3>
      {diagnosis.isPending && <p className="text-sm">Reading the messages…</p>}
      {diagnosis.error && <Notice tone="error">{diagnosis.error.message}</Notice>}
      {diagnosis.data && diagnosis.data.messages === 0 && (
        <Notice tone="info">No recent message to read. Reproduce the problem (a trace helps), then ask again.</Notice>
      )}
      {diagnosis.data && diagnosis.data.messages > 0 && diagnosis.data.findings.length === 0 && (
        <Notice tone="success">No authentication problem in {diagnosis.data.messages} messages.</Notice>
      )}
      <ul className="space-y-2">
        {diagnosis.data?.findings.map((f, i) => (
          <li
            key={`${f.cause}-${f.callId}-${i}`}
            className="rounded border border-amber-300 bg-amber-50 p-2 text-sm"
            data-testid="doctor-finding"
            data-cause={f.cause}
          >
            <p className="font-semibold">{f.title}</p>
            <p>{f.explanation}</p>
            <p className="mt-1">
              Fix:{" "}
              <Link className="text-blue-800 underline" href={f.fix.href}>
                {f.fix.label}
              </Link>
            </p>
          </li>
        ))}
      </ul>
      {diagnosis.data && (
        <Button variant="ghost" className="mt-2" onClick={() => diagnosis.refetch()}>
          Ask again
        </Button>
      )}
    </section>
  );
}
