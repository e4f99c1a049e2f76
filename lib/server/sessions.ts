import { db } from "@/lib/server/db";
import { env } from "@/lib/server/env";
import { randomSecret, sha256Hex } from "@/lib/server/crypto";
import { roleSchema } from "@/lib/domain/roles";
import type { Principal } from "@/lib/server/principal";

export const SESSION_COOKIE = "ssc_session";
const TOUCH_EVERY_MS = 60_000;

export async function createSession(operatorId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = randomSecret();
  const expiresAt = new Date(Date.now() + env.SESSION_HOURS * 3600_000);
  await db.session.create({ data: { id: sha256Hex(token), operatorId, expiresAt } });
  return { token, expiresAt };
}

/** The operator behind a session cookie, or null when the session is unknown, expired or disabled. */
export async function readSession(token: string | undefined): Promise<Extract<Principal, { kind: "session" }> | null> {
  if (!token) return null;
  const id = sha256Hex(token);
  const session = await db.session.findUnique({ where: { id }, include: { operator: true } });
  if (!session || session.expiresAt.getTime() <= Date.now() || session.operator.disabled) return null;
  if (Date.now() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.session.update({ where: { id }, data: { lastSeenAt: new Date() } });
  }
  return {
    kind: "session",
    sessionId: id,
    operatorId: session.operatorId,
    username: session.operator.username,
    role: roleSchema.parse(session.operator.role),
  };
}

export async function deleteSession(sessionId: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sessionId } });
}

export async function deleteSessionsOf(operatorId: string): Promise<void> {
  await db.session.deleteMany({ where: { operatorId } });
}

export function sessionCookieOptions(secure: boolean, expires: Date) {
  return { httpOnly: true, sameSite: "lax" as const, secure, path: "/", expires };
}
