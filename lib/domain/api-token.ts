import { z } from "zod";
import { roleSchema } from "@/lib/domain/roles";

export const createApiTokenSchema = z.strictObject({
  name: z
    .string({ error: "name is required" })
    .trim()
    .regex(/^[a-zA-Z0-9 ._-]{3,64}$/, "name must be 3 to 64 letters, digits, spaces, dots, dashes or underscores"),
  role: roleSchema,
  expiresAt: z.iso
    .datetime({ error: "expiresAt must be an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z" })
    .refine((v) => Date.parse(v) > Date.now(), "expiresAt must be in the future")
    .optional()
    .nullable(),
});

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  prefix: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiTokenView = z.infer<typeof apiTokenSchema>;

/** Returned once, at creation: the only time the secret is shown. */
export const createdApiTokenSchema = apiTokenSchema.extend({ token: z.string() });
