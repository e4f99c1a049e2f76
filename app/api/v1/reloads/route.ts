import type { NextRequest } from "next/server";
import { authenticateAs } from "@/lib/server/api-auth";
import { errorResponse, jsonResponse } from "@/lib/server/http";
import { startReload } from "@/lib/server/reloads";
import { actorOf } from "@/lib/server/principal";

/** Starts a reload: 202 with a job to poll at /api/v1/reloads/{id}. */
export async function POST(req: NextRequest) {
  const auth = await authenticateAs(req, "operator");
  if (!auth.ok) return auth.response;
  const job = startReload(actorOf(auth.principal));
  return job ? jsonResponse(job, 202) : errorResponse("conflict", "A reload is already running; wait for it to finish");
}
