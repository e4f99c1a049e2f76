"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { pendingQueryKey } from "@/components/shell/pending-badge";
import type { ParameterView } from "@/lib/domain/parameter-api";
import type { ParameterValue } from "@/lib/domain/parameter-catalog";

const key = ["parameters"];

export function useParameters() {
  return useQuery({ queryKey: key, queryFn: () => apiFetch<{ items: ParameterView[] }>("/api/v1/parameters") });
}

function useInvalidate() {
  const client = useQueryClient();
  return () =>
    Promise.all([client.invalidateQueries({ queryKey: key }), client.invalidateQueries({ queryKey: pendingQueryKey })]);
}

export function useSaveParameter() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (p: { name: string; value: ParameterValue; version: number }) =>
      apiFetch<ParameterView>(`/api/v1/parameters/${p.name}`, {
        method: "PATCH",
        body: { value: p.value, version: p.version },
      }),
    onSettled: invalidate,
  });
}

export function useResetParameter() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (p: { name: string; version: number }) =>
      apiFetch<ParameterView>(`/api/v1/parameters/${p.name}?version=${p.version}`, { method: "DELETE" }),
    onSettled: invalidate,
  });
}
