import { db } from "@/lib/server/db";
import { jsonResponse } from "@/lib/server/http";

// No authentication: load balancers and the start script probe it.
export async function GET() {
  try {
    await db.$queryRaw`SELECT 1`;
    return jsonResponse({ status: "ok", database: "reachable" });
  } catch (error) {
    console.error("health: database unreachable", error);
    return jsonResponse({ status: "error", database: "unreachable" }, 503);
  }
}
