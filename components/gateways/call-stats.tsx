"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import type { CdrTotals } from "@/lib/domain/cdr-query";

type CallStats = {
  mapping: Record<string, CdrTotals>;
  routing: Record<string, CdrTotals>;
  live: Record<string, number>;
  engineReachable: boolean;
};

export function useCallStats() {
  return useQuery({
    queryKey: ["call-stats"],
    queryFn: () => apiFetch<CallStats>("/api/v1/call-stats"),
    refetchInterval: 10_000,
    retry: false,
  });
}

/** Live calls against capacity, and ASR / ACD over the last 24 hours. */
export function CallStatsCell({
  id,
  capacity,
  stats,
  kind,
}: {
  id: string;
  capacity: number;
  stats: CallStats | undefined;
  kind: "mapping" | "routing";
}) {
  if (!stats) return <>…</>;
  const day = stats[kind][id];
  return (
    <span className="text-xs">
      <span className="font-medium">
        {stats.live[id] ?? 0}/{capacity === 0 ? "∞" : capacity}
      </span>{" "}
      live
      {day ? (
        <>
          {" "}
          · ASR {(day.asr * 100).toFixed(0)}% · ACD {day.acdSeconds.toFixed(0)} s
        </>
      ) : (
        <> · no calls today</>
      )}
    </span>
  );
}
