import type { NextRequest, NextResponse } from "next/server";
import { roleAllows, type Role } from "@/lib/domain/roles";
import { errorResponse } from "@/lib/server/http";
import type { Principal } from "@/lib/server/principal";
import { readSession, SESSION_COOKIE } from "@/lib/server/sessions";
import { authenticateApiToken } from "@/lib/server/api-tokens";
import { isSameOriginWrite } from "@/lib/server/request-origin";

export type Authenticated = { ok: true; principal: Principal } | { ok: false; response: NextResponse };

/** Step 1 of every route: who is asking (bearer token or session cookie), refused otherwise. */
export async function authenticate(req: NextRequest): Promise<Authenticated> {
  const header = req.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const principal = match ? await authenticateApiToken(match[1]) : null;
    if (!principal)
      return { ok: false, response: errorResponse("unauthenticated", "The API token is invalid, expired or revoked") };
    return { ok: true, principal };
  }
  const principal = await readSession(req.cookies.get(SESSION_COOKIE)?.value);
  if (!principal) return { ok: false, response: errorResponse("unauthenticated", "Sign in or send an API token") };
  if (!isSameOriginWrite(req)) {
    return {
      ok: false,
      response: errorResponse("forbidden", "Cross-origin request refused: changes must come from the console itself"),
    };
  }
  return { ok: true, principal };
}

/** Step 2: may this principal do it. Returns the refusal, or null when allowed. */
export function authorize(principal: Principal, needed: Role): NextResponse | null {
  if (roleAllows(principal.role, needed)) return null;
  return errorResponse("forbidden", `This needs the ${needed} role; you have ${principal.role}`);
}

/** Steps 1 and 2 together: the principal when it may act as `needed`, else the refusal to send. */
export async function authenticateAs(req: NextRequest, needed: Role): Promise<Authenticated> {
  const auth = await authenticate(req);
  if (!auth.ok) return auth;
  const denied = authorize(auth.principal, needed);
  return denied ? { ok: false, response: denied } : auth;
}
