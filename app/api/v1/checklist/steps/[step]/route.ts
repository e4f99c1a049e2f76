import type { NextRequest } from "next/server";
import { checklistSteps, type StepId } from "@/lib/domain/checklist";
import { authenticateAs } from "@/lib/server/api-auth";
import { runStep } from "@/lib/server/checklist";
import { errorResponse, respond } from "@/lib/server/http";
import { actorOf } from "@/lib/server/principal";

/** Checks one step (1–8) against the live softswitch; step 6 starts a trace, step 7 places a test call. */
export async function POST(req: NextRequest, ctx: { params: Promise<{ step: string }> }) {
  const auth = await authenticateAs(req, "operator");
  if (!auth.ok) return auth.response;
  const step = Number((await ctx.params).step);
  if (!checklistSteps.some((s) => s.id === step))
    return errorResponse(
      "not_found",
      `No checklist step ${(await ctx.params).step}; steps are 1 to ${checklistSteps.length}`,
    );
  return respond(await runStep(actorOf(auth.principal), step as StepId));
}
