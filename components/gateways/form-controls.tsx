"use client";

import { useId } from "react";
import { TextField } from "@/components/ui/field";

/** Values separated by commas, spaces or new lines, edited as text. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function ListField({
  label,
  value,
  onChange,
  error,
  hint,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  hint?: string;
}) {
  const id = useId();
  return (
    <div className="mb-3">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <textarea
        id={id}
        rows={2}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-note`}
        className={`mt-1 block w-full rounded-md border px-2 py-1.5 font-mono text-sm ${error ? "border-red-600" : "border-slate-400"}`}
      />
      <p id={`${id}-note`} className={`mt-1 text-xs ${error ? "font-medium text-red-700" : "text-slate-600"}`}>
        {error ?? hint ?? "Separate values with commas or new lines."}
      </p>
    </div>
  );
}

export function CheckboxField({
  label,
  checked,
  onChange,
  hint,
}: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  hint?: string;
}) {
  return (
    <label className="mb-3 flex items-start gap-2 text-sm">
      <input type="checkbox" className="mt-1" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>
        <span className="font-medium">{label}</span>
        {hint && <span className="block text-xs text-slate-600">{hint}</span>}
      </span>
    </label>
  );
}

export function NumberField({
  label,
  value,
  onChange,
  error,
  hint,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  hint?: string;
}) {
  return (
    <TextField
      label={label}
      type="number"
      inputMode="numeric"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      hint={hint}
    />
  );
}

/** "" stays "" (the server then says what is missing); anything else becomes a number. */
export function toNumber(text: string): number | string {
  return text.trim() === "" ? "" : Number(text);
}

export function RewriteFields({
  label,
  strip,
  prefix,
  onStrip,
  onPrefix,
  errorOf,
}: {
  label: string;
  strip: string;
  prefix: string;
  onStrip: (v: string) => void;
  onPrefix: (v: string) => void;
  errorOf: (path: string) => string | undefined;
}) {
  const key = label.toLowerCase().startsWith("caller") ? "callerRewrite" : "calleeRewrite";
  return (
    <fieldset className="mb-3 rounded-md border border-slate-200 p-2">
      <legend className="px-1 text-sm font-medium">{label}</legend>
      <div className="grid grid-cols-2 gap-3">
        <NumberField label="Strip leading digits" value={strip} onChange={onStrip} error={errorOf(`${key}.strip`)} />
        <TextField
          label="Then add prefix"
          value={prefix}
          onChange={(e) => onPrefix(e.target.value)}
          error={errorOf(`${key}.prefix`)}
        />
      </div>
    </fieldset>
  );
}
