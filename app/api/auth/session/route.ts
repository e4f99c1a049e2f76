import type { NextRequest } from "next/server";
import { signInSchema } from "@/lib/domain/operator";
import { errorResponse, jsonResponse, parseJsonBody } from "@/lib/server/http";
import { recordSignOut, signIn } from "@/lib/server/sign-in";
import { deleteSession, readSession, SESSION_COOKIE, sessionCookieOptions } from "@/lib/server/sessions";
import { hasForeignOrigin, isHttps } from "@/lib/server/request-origin";

/** Sign in: the only session-creating route; no authentication before it, by definition. */
export async function POST(req: NextRequest) {
  if (hasForeignOrigin(req)) return errorResponse("forbidden", "Cross-origin sign-in refused");
  const body = await parseJsonBody(req, signInSchema);
  if (!body.ok) return body.response;
  const result = await signIn(body.data.username, body.data.password);
  if (!result.ok) return errorResponse(result.code, result.message);
  const response = jsonResponse({ username: result.value.username });
  response.cookies.set(SESSION_COOKIE, result.value.token, sessionCookieOptions(isHttps(req), result.value.expiresAt));
  return response;
}

/** Sign out: the session is deleted on the server, not only forgotten by the browser. */
export async function DELETE(req: NextRequest) {
  if (hasForeignOrigin(req)) return errorResponse("forbidden", "Cross-origin sign-out refused");
  const session = await readSession(req.cookies.get(SESSION_COOKIE)?.value);
  if (session) {
    await deleteSession(session.sessionId);
    await recordSignOut(session);
  }
  const response = jsonResponse({ signedOut: true });
  response.cookies.delete(SESSION_COOKIE);
  return response;
}
