"use client";

import { useState, type FormEvent } from "react";
import { ChallengeModeHelp } from "@/components/parameters/challenge-mode-help";
import { ParameterInput } from "@/components/parameters/parameter-input";
import { useResetParameter, useSaveParameter } from "@/components/parameters/use-parameters";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Notice } from "@/components/ui/notice";
import { findParameter, type ParameterValue } from "@/lib/domain/parameter-catalog";
import { formatParameterValue, parseParameterValue } from "@/lib/domain/parameter-value";
import type { ParameterView } from "@/lib/domain/parameter-api";

export function ParameterEditDialog({ parameter, onClose }: { parameter: ParameterView; onClose: () => void }) {
  const def = findParameter(parameter.name);
  const [draft, setDraft] = useState<unknown>(parameter.value);
  const save = useSaveParameter();
  const reset = useResetParameter();
  if (!def) return null;
  const check = parseParameterValue(def, draft);
  const error = save.error ?? reset.error;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (check.ok)
      save.mutate({ name: parameter.name, value: check.value, version: parameter.version }, { onSuccess: onClose });
  };
  return (
    <Dialog open title={`Edit ${parameter.name}`} onClose={onClose}>
      <p className="mb-3 text-sm text-slate-700">{parameter.description}</p>
      <p className="mb-3 text-sm">
        Active now: <strong>{formatParameterValue(def, parameter.active)}</strong> · Default:{" "}
        {formatParameterValue(def, def.default)}
        {def.vosSection && <> · VOS3000 manual {def.vosSection}</>}
      </p>
      {error && <Notice tone="error">{error.message}</Notice>}
      <form onSubmit={submit} noValidate>
        <ParameterInput definition={def} value={draft} onChange={setDraft} error={check.ok ? undefined : check.error} />
        {def.name === "SS_AUTHCHALLENGEMODE" && (
          <ChallengeModeHelp onUse={(mode) => setDraft(mode)} selected={draft as ParameterValue} />
        )}
        <p className="mb-3 text-xs text-slate-700">
          {def.scope === "engine"
            ? "Saving makes this change pending; it reaches the softswitch at the next Reload."
            : "Saving makes this change pending; the console uses it after the next Reload."}
        </p>
        <div className="flex flex-wrap justify-between gap-2">
          <Button
            variant="secondary"
            disabled={parameter.isDefault || reset.isPending}
            onClick={() => reset.mutate({ name: parameter.name, version: parameter.version }, { onSuccess: onClose })}
          >
            Reset to default
          </Button>
          <div className="flex gap-2">
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!check.ok || save.isPending}>
              {save.isPending ? "Saving…" : "Save"}
            </Button>
          </div>
        </div>
      </form>
    </Dialog>
  );
}
