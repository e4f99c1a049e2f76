import type { NextRequest } from "next/server";
import { authenticateAs } from "@/lib/server/api-auth";
import { fileResponse } from "@/lib/server/http";
import { metricsText } from "@/lib/server/security";

/** Prometheus: the console's figures and the engine's, scraped with an API token as bearer. */
export async function GET(req: NextRequest) {
  const auth = await authenticateAs(req, "viewer");
  if (!auth.ok) return auth.response;
  return fileResponse(await metricsText(), { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
}
