"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { endpointTypes, recommendChallengeMode, type EndpointTypeId } from "@/lib/domain/challenge-mode-recommender";
import { challengeScenarios } from "@/lib/domain/challenge-mode-scenarios";
import type { ParameterValue } from "@/lib/domain/parameter-catalog";

const modes = [1, 2, 3] as const;

export function ChallengeModeHelp({ onUse, selected }: { onUse: (mode: number) => void; selected: ParameterValue }) {
  const [ticked, setTicked] = useState<EndpointTypeId[]>([]);
  const recommendation = recommendChallengeMode(ticked);
  const toggle = (id: EndpointTypeId) => setTicked((t) => (t.includes(id) ? t.filter((x) => x !== id) : [...t, id]));
  return (
    <div className="mb-3 space-y-3">
      <details className="rounded-md border border-slate-200 p-2 text-sm">
        <summary className="cursor-pointer font-medium">Which challenge each SIP scenario gets</summary>
        <table className="mt-2 w-full text-xs">
          <caption className="sr-only">Challenge by scenario and mode</caption>
          <thead>
            <tr>
              <th className="p-1 text-left">Scenario</th>
              {modes.map((m) => (
                <th key={m} className={`p-1 text-left ${selected === m ? "bg-blue-100" : ""}`}>
                  Mode {m}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {challengeScenarios.map((s) => (
              <tr key={s.scenario} className="border-t border-slate-200">
                <th scope="row" className="p-1 text-left font-normal">
                  {s.scenario}
                  <div className="text-slate-600">{s.note}</div>
                </th>
                {modes.map((m) => (
                  <td key={m} className={`p-1 ${selected === m ? "bg-blue-50" : ""}`}>
                    {s.byMode[m]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <fieldset className="rounded-md border border-slate-200 p-2 text-sm">
        <legend className="px-1 font-medium">Recommender: which endpoint types are on your network?</legend>
        <div className="grid grid-cols-1 gap-1 sm:grid-cols-2">
          {endpointTypes.map((t) => (
            <label key={t.id} className="flex items-center gap-2">
              <input type="checkbox" checked={ticked.includes(t.id)} onChange={() => toggle(t.id)} />
              {t.label}
            </label>
          ))}
        </div>
        <div className="mt-2" data-testid="recommendation">
          {ticked.length > 0 && (
            <>
              <p className="mb-1">
                Recommended: <strong>mode {recommendation.mode}</strong>{" "}
                <Button variant="ghost" onClick={() => onUse(recommendation.mode)}>
                  Use mode {recommendation.mode}
                </Button>
              </p>
              <ul className="mb-2 list-disc pl-5 text-xs">
                {recommendation.rows.map((r) => (
                  <li key={r.id}>
                    <strong>
                      {r.served ? "Served" : "Not served"}: {r.label}.
                    </strong>{" "}
                    {r.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
          {recommendation.warning && <Notice tone="warning">{recommendation.warning}</Notice>}
        </div>
      </fieldset>
    </div>
  );
}
