"use client";

import { TextField } from "@/components/ui/field";
import type { ParameterDefinition } from "@/lib/domain/parameter-catalog";

type Props = { definition: ParameterDefinition; value: unknown; onChange: (value: unknown) => void; error?: string };

/** The control that fits the parameter's type. */
export function ParameterInput({ definition: def, value, onChange, error }: Props) {
  if (def.type === "enum" || def.type === "boolean") {
    const options =
      def.type === "enum"
        ? def.values
        : [
            { value: true, label: "On" },
            { value: false, label: "Off" },
          ];
    return (
      <fieldset className="mb-3" aria-describedby={error ? "parameter-error" : undefined}>
        <legend className="mb-1 text-sm font-medium">Value</legend>
        {options.map((o) => (
          <label key={String(o.value)} className="flex items-start gap-2 py-1 text-sm">
            <input
              type="radio"
              name="parameter-value"
              className="mt-1"
              checked={value === o.value}
              onChange={() => onChange(o.value)}
            />
            <span>
              {def.type === "enum" && <strong className="mr-1">{String(o.value)}</strong>}
              {o.label}
            </span>
          </label>
        ))}
        {error && (
          <p id="parameter-error" className="text-xs font-medium text-red-700">
            {error}
          </p>
        )}
      </fieldset>
    );
  }
  if (def.type === "string") {
    return (
      <TextField label="Value" value={String(value ?? "")} onChange={(e) => onChange(e.target.value)} error={error} />
    );
  }
  const unit = def.type === "duration" ? "seconds" : (def.unit ?? "");
  return (
    <TextField
      label={`Value${unit ? ` (${unit})` : ""}`}
      type="number"
      inputMode="numeric"
      min={def.min}
      max={def.max}
      value={typeof value === "number" && !Number.isNaN(value) ? value : String(value ?? "")}
      onChange={(e) => onChange(e.target.value === "" ? "" : Number(e.target.value))}
      error={error}
      hint={`From ${def.min} to ${def.max}`}
    />
  );
}
