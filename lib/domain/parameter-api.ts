import { z } from "zod";

const valueSchema = z.union([z.number(), z.string(), z.boolean()]);

export const parameterViewSchema = z.object({
  name: z.string(),
  group: z.string(),
  type: z.enum(["integer", "duration", "boolean", "enum", "string"]),
  scope: z.enum(["engine", "console"]),
  description: z.string(),
  vosSection: z.string().nullable(),
  unit: z.string().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  values: z.array(z.object({ value: z.union([z.number(), z.string()]), label: z.string() })).nullable(),
  default: valueSchema,
  value: valueSchema.describe("The saved value; reaches the engine at the next Reload"),
  active: valueSchema.describe("The value the engine runs now"),
  pending: z.boolean(),
  isDefault: z.boolean(),
  version: z.number().int().describe("Send it back with a PATCH; a stale one answers 409"),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type ParameterView = z.infer<typeof parameterViewSchema>;

export const updateParameterSchema = z.strictObject({
  value: z.unknown().refine((v) => v !== undefined, "value is required"),
  version: z.number({ error: "version is required (the version the change was based on)" }).int(),
});

export const resetParameterQuerySchema = z.object({
  version: z.coerce.number({ error: "version must be a number" }).int("version must be a whole number"),
});
