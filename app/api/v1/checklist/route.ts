import type { NextRequest } from "next/server";
import { checklistAnswersUpdateSchema } from "@/lib/domain/checklist";
import { authenticateAs } from "@/lib/server/api-auth";
import { getChecklist, resetChecklist, updateAnswers } from "@/lib/server/checklist";
import { jsonResponse, parseJsonBody } from "@/lib/server/http";
import { actorOf } from "@/lib/server/principal";

/** The caller's deployment checklist: answers, and each step's last verdict. */
export async function GET(req: NextRequest) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  return jsonResponse(await getChecklist(actorOf(auth.principal)));
}

/** Saves answers (endpoint types, the gateway and carrier to test, the test number). */
export async function PATCH(req: NextRequest) {
  const auth = await authenticateAs(req, "operator");
  if (!auth.ok) return auth.response;
  const body = await parseJsonBody(req, checklistAnswersUpdateSchema);
  if (!body.ok) return body.response;
  return jsonResponse(await updateAnswers(actorOf(auth.principal), body.data));
}

/** Starts over: every verdict cleared, answers kept. */
export async function DELETE(req: NextRequest) {
  const auth = await authenticateAs(req, "operator");
  if (!auth.ok) return auth.response;
  return jsonResponse(await resetChecklist(actorOf(auth.principal)));
}
