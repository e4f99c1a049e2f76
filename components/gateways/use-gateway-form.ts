"use client";

import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { z } from "zod";
import { apiFetch, ApiRequestError } from "@/components/api-client";
import { pendingQueryKey } from "@/components/shell/pending-badge";
import type { RuleIssue } from "@/lib/domain/mapping-gateway";

type Saved = { id: string; version: number; hasPassword: boolean };

/**
 * Shared state of the gateway forms: validates with the same zod schema and rules as the server
 * before sending, shows each message under its field, then creates (POST) or merges (PATCH).
 */
export function useGatewayForm<C>(options: {
  resource: "mapping-gateways" | "routing-gateways";
  existing?: Saved;
  schema: z.ZodType<C & { password?: string }>;
  rules: (config: C, hasPassword: boolean) => RuleIssue[];
}) {
  const router = useRouter();
  const client = useQueryClient();
  const [issues, setIssues] = useState<RuleIssue[]>([]);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (input: C & { password?: string }) =>
      options.existing
        ? apiFetch<Saved>(`/api/v1/${options.resource}/${options.existing.id}`, {
            method: "PATCH",
            body: { ...input, version: options.existing.version },
          })
        : apiFetch<Saved>(`/api/v1/${options.resource}`, { method: "POST", body: input }),
    onSuccess: async (gateway) => {
      setSaved(true);
      await Promise.all([
        client.invalidateQueries({ queryKey: [options.resource] }),
        client.invalidateQueries({ queryKey: pendingQueryKey }),
      ]);
      if (!options.existing) router.push(`/${options.resource}/${gateway.id}?created=1`);
      else router.refresh();
    },
    onError: (error) => setIssues(error instanceof ApiRequestError ? (error.error.issues ?? []) : []),
  });

  function submit(raw: Record<string, unknown>) {
    setSaved(false);
    const parsed = options.schema.safeParse(raw);
    if (!parsed.success) {
      setIssues(parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
      return;
    }
    const { password, ...config } = parsed.data;
    const ruleIssues = options.rules(config as C, password !== undefined || Boolean(options.existing?.hasPassword));
    setIssues(ruleIssues);
    if (ruleIssues.length === 0) save.mutate(parsed.data);
  }

  /** The first message for a field or anything inside it (ipAddresses.2 → ipAddresses). */
  const errorOf = (path: string) => issues.find((i) => i.path === path || i.path.startsWith(`${path}.`))?.message;
  return { submit, errorOf, issues, saving: save.isPending, saved, serverError: save.error };
}
