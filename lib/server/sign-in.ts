import { db } from "@/lib/server/db";
import { passwordHashForUnknownUser, verifyPassword } from "@/lib/server/crypto";
import { createSession } from "@/lib/server/sessions";
import { getActiveParameterValue } from "@/lib/server/config-snapshots";
import { recordAudit } from "@/lib/server/audit";
import type { ServiceResult } from "@/lib/server/http";

export const MAX_FAILED_SIGN_INS = 5;
const INVALID = "Invalid username or password";

function lockedMessage(until: Date): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return `Too many failed sign-ins for this username; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`;
}

type Attempt = { number: number; lockedUntil: Date | null };

/**
 * Counts this attempt before any password is checked (issue 19): one atomic upsert with an
 * increment, so parallel attempts each get their own number and none reads a stale count. A lock
 * that has run out is cleared first (a conditional update, atomic too).
 */
async function takeAttempt(key: string, now: Date): Promise<Attempt> {
  await db.loginFailure.updateMany({
    where: { username: key, lockedUntil: { lte: now } },
    data: { count: 0, lockedUntil: null, firstAt: now },
  });
  const row = await db.loginFailure.upsert({
    where: { username: key },
    create: { username: key, count: 1, firstAt: now },
    update: { count: { increment: 1 } },
  });
  return { number: row.count, lockedUntil: row.lockedUntil };
}

/** Locks the username from now on (the first attempt past the limit sets it; later ones keep it). */
async function lock(key: string, lockSeconds: number): Promise<Date> {
  const now = new Date();
  const until = new Date(now.getTime() + lockSeconds * 1000);
  await db.loginFailure.updateMany({
    where: { username: key, OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] },
    data: { lockedUntil: until },
  });
  return (await db.loginFailure.findUnique({ where: { username: key } }))?.lockedUntil ?? until;
}

async function auditAttempt(username: string, action: string, after: Record<string, unknown>): Promise<void> {
  await recordAudit(db, { actor: username, via: "ui" }, { action, entityType: "operator", entityId: username, after });
}

/**
 * Unknown usernames and wrong passwords take the same time and get the same answer, and
 * both count towards the lockout (SERVER_LOGIN_FAILED_DISABLE_TIME), so the lockout itself
 * does not reveal which usernames exist. Every attempt is counted before its password is checked:
 * past MAX_FAILED_SIGN_INS attempts since the last success no password is checked at all, so
 * parallel guesses cannot slip past the lock, and a right password sent once it is locked is refused.
 */
export async function signIn(
  username: string,
  password: string,
): Promise<ServiceResult<{ token: string; expiresAt: Date; username: string }>> {
  const key = username.toLowerCase();
  const lockSeconds = Number(await getActiveParameterValue("SERVER_LOGIN_FAILED_DISABLE_TIME"));
  const now = new Date();
  const attempt = await takeAttempt(key, now);
  const alreadyLocked = attempt.lockedUntil !== null && attempt.lockedUntil.getTime() > now.getTime();
  if (alreadyLocked || (lockSeconds > 0 && attempt.number > MAX_FAILED_SIGN_INS)) {
    const until = alreadyLocked ? attempt.lockedUntil! : await lock(key, lockSeconds);
    await auditAttempt(username, "auth.sign-in-failed", { username, reason: "locked" });
    return { ok: false, code: "locked", message: lockedMessage(until) };
  }
  const operator = await db.operator.findUnique({ where: { username } });
  const matches = await verifyPassword(password, operator?.passwordHash ?? (await passwordHashForUnknownUser()));
  if (!operator || !matches || operator.disabled) {
    const reason = !operator ? "unknown-username" : !matches ? "wrong-password" : "disabled";
    await auditAttempt(username, "auth.sign-in-failed", { username, reason });
    if (lockSeconds > 0 && attempt.number >= MAX_FAILED_SIGN_INS) {
      const until = await lock(key, lockSeconds);
      await auditAttempt(username, "auth.lockout", {
        username,
        failures: attempt.number,
        lockedUntil: until.toISOString(),
      });
      return { ok: false, code: "locked", message: lockedMessage(until) };
    }
    return { ok: false, code: "unauthenticated", message: INVALID };
  }
  await db.loginFailure.deleteMany({ where: { username: key } });
  const session = await createSession(operator.id);
  await recordAudit(
    db,
    { actor: operator.username, via: "ui" },
    { action: "auth.sign-in", entityType: "operator", entityId: operator.id, after: { username: operator.username } },
  );
  return { ok: true, value: { ...session, username: operator.username } };
}

/** Sign-out: audited with who, when the session belonged to someone. */
export async function recordSignOut(operator: { operatorId: string; username: string }): Promise<void> {
  await recordAudit(
    db,
    { actor: operator.username, via: "ui" },
    { action: "auth.sign-out", entityType: "operator", entityId: operator.operatorId },
  );
}

/** CLI recovery: lifts a lockout. */
export async function clearSignInFailures(username: string): Promise<void> {
  await db.loginFailure.deleteMany({ where: { username: username.toLowerCase() } });
}
