import { db } from "@/lib/server/db";
import { hashPassword } from "@/lib/server/crypto";
import { recordAudit } from "@/lib/server/audit";
import { deleteSessionsOf } from "@/lib/server/sessions";
import { roleSchema, type Role } from "@/lib/domain/roles";
import type { OperatorView } from "@/lib/domain/operator";
import type { ServiceResult } from "@/lib/server/http";
import type { Actor } from "@/lib/server/principal";
import type { Operator } from "@/generated/prisma/client";

export function toOperatorView(o: Operator): OperatorView {
  return {
    id: o.id,
    username: o.username,
    role: roleSchema.parse(o.role),
    disabled: o.disabled,
    version: o.version,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

export async function listOperators(): Promise<OperatorView[]> {
  const rows = await db.operator.findMany({ orderBy: { username: "asc" } });
  return rows.map(toOperatorView);
}

export async function getOperator(id: string): Promise<ServiceResult<OperatorView>> {
  const row = await db.operator.findUnique({ where: { id } });
  return row
    ? { ok: true, value: toOperatorView(row) }
    : { ok: false, code: "not_found", message: `No operator with id ${id}` };
}

export async function createOperator(
  input: { username: string; password: string; role: Role },
  actor: Actor,
): Promise<ServiceResult<OperatorView>> {
  if (await db.operator.findUnique({ where: { username: input.username } })) {
    return {
      ok: false,
      code: "conflict",
      message: `An operator named "${input.username}" already exists`,
      issues: [{ path: "username", message: "already taken" }],
    };
  }
  const passwordHash = await hashPassword(input.password);
  const row = await db.$transaction(async (tx) => {
    const created = await tx.operator.create({ data: { username: input.username, role: input.role, passwordHash } });
    await recordAudit(tx, actor, {
      action: "operator.create",
      entityType: "operator",
      entityId: created.id,
      after: { ...toOperatorView(created), password: "set" },
    });
    return created;
  });
  return { ok: true, value: toOperatorView(row) };
}

export type OperatorChanges = { version: number; role?: Role; disabled?: boolean; password?: string };

export async function updateOperator(
  id: string,
  changes: OperatorChanges,
  actor: Actor,
): Promise<ServiceResult<OperatorView>> {
  const existing = await db.operator.findUnique({ where: { id } });
  if (!existing) return { ok: false, code: "not_found", message: `No operator with id ${id}` };
  if (existing.version !== changes.version) {
    return {
      ok: false,
      code: "conflict",
      message: `Operator ${existing.username} was changed by someone else (version ${existing.version}, yours ${changes.version}); reload and try again`,
    };
  }
  const losesAdmin =
    existing.role === "admin" &&
    !existing.disabled &&
    ((changes.role && changes.role !== "admin") || changes.disabled === true);
  if (losesAdmin && (await db.operator.count({ where: { role: "admin", disabled: false } })) <= 1) {
    return {
      ok: false,
      code: "conflict",
      message: "This is the last enabled administrator; make another administrator first",
    };
  }
  const passwordHash = changes.password ? await hashPassword(changes.password) : undefined;
  const row = await db.$transaction(async (tx) => {
    const updated = await tx.operator.update({
      where: { id, version: changes.version },
      data: {
        ...(changes.role ? { role: changes.role } : {}),
        ...(changes.disabled !== undefined ? { disabled: changes.disabled } : {}),
        ...(passwordHash ? { passwordHash } : {}),
        version: { increment: 1 },
      },
    });
    await recordAudit(tx, actor, {
      action: changes.password ? "operator.reset-password" : "operator.update",
      entityType: "operator",
      entityId: id,
      before: toOperatorView(existing),
      after: { ...toOperatorView(updated), ...(changes.password ? { password: "changed" } : {}) },
    });
    return updated;
  });
  // A disabled operator or a reset password ends every session of that operator.
  if (changes.disabled || changes.password) await deleteSessionsOf(id);
  return { ok: true, value: toOperatorView(row) };
}
