import { db } from "@/lib/server/db";
import { passwordHashForUnknownUser, verifyPassword } from "@/lib/server/crypto";
import { createSession } from "@/lib/server/sessions";
import { getActiveParameterValue } from "@/lib/server/config-snapshots";
import type { ServiceResult } from "@/lib/server/http";

export const MAX_FAILED_SIGN_INS = 5;
const INVALID = "Invalid username or password";

function lockedMessage(until: Date): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return `Too many failed sign-ins for this username; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/**
 * Unknown usernames and wrong passwords take the same time and get the same answer, and
 * both count towards the lockout (SERVER_LOGIN_FAILED_DISABLE_TIME), so the lockout itself
 * does not reveal which usernames exist.
 */
export async function signIn(
  username: string,
  password: string,
): Promise<ServiceResult<{ token: string; expiresAt: Date; username: string }>> {
  const key = username.toLowerCase();
  const failure = await db.loginFailure.findUnique({ where: { username: key } });
  if (failure?.lockedUntil && failure.lockedUntil.getTime() > Date.now()) {
    return { ok: false, code: "locked", message: lockedMessage(failure.lockedUntil) };
  }
  const operator = await db.operator.findUnique({ where: { username } });
  const matches = await verifyPassword(password, operator?.passwordHash ?? (await passwordHashForUnknownUser()));
  if (!operator || !matches || operator.disabled) {
    const count = (failure?.lockedUntil ? 0 : (failure?.count ?? 0)) + 1;
    const lockSeconds = Number(await getActiveParameterValue("SERVER_LOGIN_FAILED_DISABLE_TIME"));
    const lockedUntil =
      count >= MAX_FAILED_SIGN_INS && lockSeconds > 0 ? new Date(Date.now() + lockSeconds * 1000) : null;
    const data = { count: lockedUntil ? 0 : count, lockedUntil };
    await db.loginFailure.upsert({ where: { username: key }, create: { username: key, ...data }, update: data });
    if (lockedUntil) return { ok: false, code: "locked", message: lockedMessage(lockedUntil) };
    return { ok: false, code: "unauthenticated", message: INVALID };
  }
  await db.loginFailure.deleteMany({ where: { username: key } });
  const session = await createSession(operator.id);
  return { ok: true, value: { ...session, username: operator.username } };
}

/** CLI recovery: lifts a lockout. */
export async function clearSignInFailures(username: string): Promise<void> {
  await db.loginFailure.deleteMany({ where: { username: username.toLowerCase() } });
}
