import type { NextRequest } from "next/server";
import { checklistSummary } from "@/lib/domain/checklist";
import { authenticateAs } from "@/lib/server/api-auth";
import { getChecklist } from "@/lib/server/checklist";
import { fileResponse } from "@/lib/server/http";
import { actorOf } from "@/lib/server/principal";

/** The checklist as plain text, to print or keep with the deployment's records. */
export async function GET(req: NextRequest) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  const actor = actorOf(auth.principal);
  const state = await getChecklist(actor);
  return fileResponse(
    checklistSummary(
      state.steps.map((s) => s.result),
      actor.actor,
      new Date(),
    ),
    {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Disposition": 'attachment; filename="deployment-checklist.txt"',
    },
  );
}
