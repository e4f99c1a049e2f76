import type { ParameterDefinition, ParameterValue } from "@/lib/domain/parameter-catalog";

export type ParseValueResult = { ok: true; value: ParameterValue } | { ok: false; error: string };

function listValues(values: ReadonlyArray<{ value: number | string }>): string {
  const shown = values.map((v) => (typeof v.value === "string" ? `"${v.value}"` : String(v.value)));
  return shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(", ")} or ${shown[shown.length - 1]}`;
}

/** Validates a value against its catalog entry, with the message an operator reads. */
export function parseParameterValue(def: ParameterDefinition, input: unknown): ParseValueResult {
  switch (def.type) {
    case "integer":
    case "duration": {
      const unit = def.type === "duration" ? " seconds" : "";
      if (typeof input !== "number" || !Number.isInteger(input) || input < def.min || input > def.max) {
        return { ok: false, error: `${def.name} must be a whole number from ${def.min} to ${def.max}${unit}` };
      }
      return { ok: true, value: input };
    }
    case "boolean":
      if (typeof input !== "boolean") return { ok: false, error: `${def.name} must be true (On) or false (Off)` };
      return { ok: true, value: input };
    case "enum": {
      const match = def.values.find((v) => v.value === input);
      if (!match) return { ok: false, error: `${def.name} must be ${listValues(def.values)}` };
      return { ok: true, value: match.value };
    }
    case "string": {
      if (typeof input !== "string" || !def.pattern.test(input)) {
        return { ok: false, error: `${def.name} must be ${def.patternHint}` };
      }
      const problem = def.check?.(input);
      return problem ? { ok: false, error: `${def.name}: ${problem}` } : { ok: true, value: input };
    }
  }
}

export function formatParameterValue(def: ParameterDefinition, value: ParameterValue): string {
  if (def.type === "boolean") return value ? "On" : "Off";
  if (def.type === "duration") return `${value} s`;
  return String(value);
}
