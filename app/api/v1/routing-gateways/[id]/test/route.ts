import type { NextRequest } from "next/server";
import { z } from "zod";
import { authenticateAs } from "@/lib/server/api-auth";
import { errorResponse, jsonResponse, parseJsonBody } from "@/lib/server/http";
import { engineTargets, runTestCall } from "@/lib/server/engine-client";

const bodySchema = z.strictObject({
  number: z.string().regex(/^\+?[0-9]{1,32}$/, "number must be digits, optionally with a leading +"),
});

/** Test a carrier: the engine sends OPTIONS and a test INVITE through it, answering its challenge; the outcome with the SIP messages. */
export async function POST(req: NextRequest, ctx: { params: Promise<{ id: string }> }) {
  const auth = await authenticateAs(req, "operator");
  if (!auth.ok) return auth.response;
  const body = await parseJsonBody(req, bodySchema);
  if (!body.ok) return body.response;
  const result = await runTestCall(engineTargets()[0], {
    routingGatewayId: (await ctx.params).id,
    number: body.data.number,
  });
  return result.ok
    ? jsonResponse(result.value)
    : errorResponse("rejected", `The engine could not run the test: ${result.error}`);
}
