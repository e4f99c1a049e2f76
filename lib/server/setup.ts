import { randomBytes } from "node:crypto";
import { db } from "@/lib/server/db";
import { constantTimeEqual, hashPassword, sha256Hex } from "@/lib/server/crypto";
import { recordAudit } from "@/lib/server/audit";
import { toOperatorView } from "@/lib/server/operators";
import type { OperatorView } from "@/lib/domain/operator";
import type { ServiceResult } from "@/lib/server/http";

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I: read from a log by a person

function newSetupCode(): string {
  const bytes = randomBytes(16);
  const chars = Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join("")).join("-");
}

function normalise(code: string): string {
  return code.trim().toUpperCase().replace(/\s+/g, "");
}

export async function isSetupOpen(): Promise<boolean> {
  return (await db.operator.count()) === 0;
}

/**
 * With no operator yet, makes a fresh one-time code and returns it for the start log; only its
 * hash is stored. Without the code, whoever reached the page first would own the switch.
 */
export async function issueSetupCode(): Promise<string | null> {
  if (!(await isSetupOpen())) return null;
  const code = newSetupCode();
  const codeHash = sha256Hex(normalise(code));
  await db.setupCode.upsert({
    where: { id: 1 },
    create: { id: 1, codeHash },
    update: { codeHash, createdAt: new Date() },
  });
  return code;
}

export async function completeSetup(input: {
  code: string;
  username: string;
  password: string;
}): Promise<ServiceResult<OperatorView>> {
  const passwordHash = await hashPassword(input.password);
  const result = await db.$transaction(async (tx): Promise<ServiceResult<OperatorView>> => {
    if ((await tx.operator.count()) > 0)
      return { ok: false, code: "conflict", message: "Setup is already complete; sign in instead" };
    const stored = await tx.setupCode.findUnique({ where: { id: 1 } });
    if (!stored || !constantTimeEqual(stored.codeHash, sha256Hex(normalise(input.code)))) {
      return {
        ok: false,
        code: "forbidden",
        message: "The setup code is wrong; copy it from the console's start log",
        issues: [{ path: "code", message: "wrong setup code" }],
      };
    }
    const admin = await tx.operator.create({ data: { username: input.username, role: "admin", passwordHash } });
    await tx.setupCode.delete({ where: { id: 1 } });
    await recordAudit(
      tx,
      { actor: input.username, via: "ui" },
      {
        action: "setup.first-admin",
        entityType: "operator",
        entityId: admin.id,
        after: { ...toOperatorView(admin), password: "set" },
      },
    );
    return { ok: true, value: toOperatorView(admin) };
  });
  // A wrong code is audited too (the username as typed): someone is trying to take the switch.
  if (!result.ok && result.code === "forbidden")
    await recordAudit(
      db,
      { actor: input.username, via: "ui" },
      { action: "setup.code-refused", entityType: "operator", entityId: input.username },
    );
  return result;
}
