import { z } from "zod";
import { parameterCatalog } from "@/lib/domain/parameter-catalog";
import { parseParameterValue } from "@/lib/domain/parameter-value";

// The contract between console and engine: one immutable, versioned configuration.
// Gateways join it with the gateways issue.

const parameterValueSchema = z.union([z.number(), z.string(), z.boolean()]);

export const snapshotParametersSchema = z.record(z.string(), parameterValueSchema).superRefine((values, ctx) => {
  for (const def of parameterCatalog) {
    if (!(def.name in values)) {
      ctx.addIssue({ code: "custom", path: [def.name], message: `${def.name} is missing` });
      continue;
    }
    const parsed = parseParameterValue(def, values[def.name]);
    if (!parsed.ok) ctx.addIssue({ code: "custom", path: [def.name], message: parsed.error });
  }
  for (const name of Object.keys(values)) {
    if (!parameterCatalog.some((p) => p.name === name)) {
      ctx.addIssue({ code: "custom", path: [name], message: `${name} is not a known parameter` });
    }
  }
});

export const configContentSchema = z.object({
  parameters: snapshotParametersSchema,
});
export type ConfigContent = z.infer<typeof configContentSchema>;

export const configSnapshotSchema = configContentSchema.extend({
  version: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
});
export type ConfigSnapshot = z.infer<typeof configSnapshotSchema>;

/** Canonical JSON (keys sorted) so that the hash names the content, not its key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
