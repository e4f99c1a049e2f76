import type { NextRequest } from "next/server";
import { setupSchema } from "@/lib/domain/operator";
import { errorResponse, parseJsonBody, respond } from "@/lib/server/http";
import { completeSetup, isSetupOpen } from "@/lib/server/setup";

/** First-administrator setup; open only while no operator exists, and only with the start-log code. */
export async function POST(req: NextRequest) {
  if (!(await isSetupOpen())) return errorResponse("conflict", "Setup is already complete; sign in instead");
  const body = await parseJsonBody(req, setupSchema);
  if (!body.ok) return body.response;
  return respond(await completeSetup(body.data), 201);
}
