import { z } from "zod";
import { roleSchema } from "@/lib/domain/roles";

export const usernameSchema = z
  .string({ error: "username is required" })
  .trim()
  .regex(/^[a-zA-Z0-9._-]{3,32}$/, "username must be 3 to 32 letters, digits, dots, dashes or underscores");

export const newPasswordSchema = z
  .string({ error: "password is required" })
  .min(12, "password must be at least 12 characters")
  .max(200, "password must be at most 200 characters");

export const createOperatorSchema = z.strictObject({
  username: usernameSchema,
  password: newPasswordSchema,
  role: roleSchema,
});

export const updateOperatorSchema = z.strictObject({
  version: z.number({ error: "version is required (the version the change was based on)" }).int(),
  role: roleSchema.optional(),
  disabled: z.boolean({ error: "disabled must be true or false" }).optional(),
  password: newPasswordSchema.optional(),
});

export const operatorSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OperatorView = z.infer<typeof operatorSchema>;

export const signInSchema = z.strictObject({
  username: z.string({ error: "username is required" }).trim().min(1, "username is required").max(64),
  password: z.string({ error: "password is required" }).min(1, "password is required").max(200),
});

export const setupSchema = z.strictObject({
  code: z.string({ error: "setup code is required" }).trim().min(1, "setup code is required").max(64),
  username: usernameSchema,
  password: newPasswordSchema,
});
