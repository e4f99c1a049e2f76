import { z } from "zod";

export const bulkGatewayActionSchema = z.strictObject({
  action: z.enum(["enable", "disable", "delete"], { error: "action must be enable, disable or delete" }),
  ids: z
    .array(z.string().min(1, "ids must not be empty"), { error: "ids must be a list of gateway ids" })
    .min(1, "select at least one gateway")
    .max(10_000, "at most 10000 gateways at once"),
});
export type BulkGatewayAction = z.infer<typeof bulkGatewayActionSchema>;
