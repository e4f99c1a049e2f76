"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";

export const pendingQueryKey = ["pending"];

/** Saved changes the engine does not run yet; the reload screen lists and applies them. */
export function PendingBadge() {
  const pending = useQuery({
    queryKey: pendingQueryKey,
    queryFn: () => apiFetch<{ count: number; activeVersion: number }>("/api/v1/pending"),
    refetchInterval: 15_000,
  });
  if (!pending.data) return null;
  const { count, activeVersion } = pending.data;
  return (
    <Link
      href="/reload"
      data-testid="pending-badge"
      className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${count > 0 ? "bg-amber-200 text-amber-950" : "bg-slate-200 text-slate-800"}`}
      title={`The engine runs configuration version ${activeVersion}`}
    >
      {count === 0 ? "No pending changes" : `${count} pending change${count === 1 ? "" : "s"}`}
    </Link>
  );
}
