import { z } from "zod";
import type { CdrAttempt } from "@/lib/domain/cdr";

export const cdrListQuerySchema = z.object({
  from: z.iso.datetime({ error: "from must be an ISO 8601 date-time" }).optional(),
  to: z.iso.datetime({ error: "to must be an ISO 8601 date-time" }).optional(),
  caller: z.string().trim().max(64, "caller must be at most 64 characters").optional(),
  callee: z.string().trim().max(64, "callee must be at most 64 characters").optional(),
  gateway: z.string().trim().max(100, "gateway must be at most 100 characters").optional(),
  code: z.coerce
    .number({ error: "code must be a SIP code" })
    .int()
    .min(0)
    .max(699, "code must be a SIP code")
    .optional(),
  page: z.coerce.number({ error: "page must be a number" }).int().min(1, "page must be 1 or more").default(1),
  pageSize: z.coerce
    .number({ error: "pageSize must be a number" })
    .int()
    .min(1)
    .max(500, "pageSize must be at most 500")
    .default(50),
});
export type CdrListQuery = z.infer<typeof cdrListQuerySchema>;

export type CdrTotals = { calls: number; answered: number; asr: number; acdSeconds: number };

/** One attempt in words: "carrier-a 503 Service Unavailable". */
export function describeCdrAttempt(a: CdrAttempt): string {
  return `${a.routingGatewayName} ${a.code} ${a.reason}`.trim();
}

/**
 * Every carrier a call tried, in order, as one line for the CSV export (issue 17):
 * "carrier-a 503 Service Unavailable → carrier-b 200 OK"; empty when no carrier was tried.
 */
export function formatCdrAttempts(attempts: readonly CdrAttempt[]): string {
  return attempts.map(describeCdrAttempt).join(" → ");
}
