import { z } from "zod";

/** The one error shape on the wire (DESIGN.md). */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.enum([
      "validation",
      "unauthenticated",
      "forbidden",
      "not_found",
      "conflict",
      "too_large",
      "rejected",
      "locked",
    ]),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>["error"];
export type ApiErrorCode = ApiError["code"];
