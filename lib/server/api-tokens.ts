import { db } from "@/lib/server/db";
import { randomSecret, sha256Hex } from "@/lib/server/crypto";
import { recordAudit } from "@/lib/server/audit";
import { lowerRole, roleSchema, type Role } from "@/lib/domain/roles";
import type { ApiTokenView } from "@/lib/domain/api-token";
import type { ServiceResult } from "@/lib/server/http";
import { actorOf, type Actor, type Principal } from "@/lib/server/principal";
import type { ApiToken } from "@/generated/prisma/client";

const TOKEN_PREFIX = "ssc_";
const TOUCH_EVERY_MS = 60_000;

function toView(t: ApiToken): ApiTokenView {
  return {
    id: t.id,
    name: t.name,
    role: roleSchema.parse(t.role),
    prefix: t.prefix,
    createdBy: t.createdBy,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

export async function listApiTokens(): Promise<ApiTokenView[]> {
  const rows = await db.apiToken.findMany({ orderBy: { createdAt: "desc" } });
  return rows.map(toView);
}

/** The operator a new token belongs to: the signed-in one, or the operator of the token making it. */
function ownerOf(principal: Principal): string | null {
  return principal.kind === "cli" ? null : principal.operatorId;
}

export async function createApiToken(
  input: { name: string; role: Role; expiresAt?: string | null },
  principal: Principal,
): Promise<ServiceResult<ApiTokenView & { token: string }>> {
  const actor = actorOf(principal);
  const operatorId = ownerOf(principal);
  if (!operatorId) return { ok: false, code: "forbidden", message: "An API token must be made by an operator" };
  if (await db.apiToken.findUnique({ where: { name: input.name } })) {
    return { ok: false, code: "conflict", message: `A token named "${input.name}" already exists` };
  }
  const token = TOKEN_PREFIX + randomSecret();
  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        name: input.name,
        role: input.role,
        tokenHash: sha256Hex(token),
        prefix: token.slice(0, TOKEN_PREFIX.length + 6),
        createdBy: actor.actor,
        operatorId,
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      },
    });
    await recordAudit(tx, actor, {
      action: "token.create",
      entityType: "token",
      entityId: created.id,
      after: toView(created),
    });
    return created;
  });
  return { ok: true, value: { ...toView(row), token } };
}

export async function revokeApiToken(id: string, actor: Actor): Promise<ServiceResult<ApiTokenView>> {
  const existing = await db.apiToken.findUnique({ where: { id } });
  if (!existing) return { ok: false, code: "not_found", message: `No token with id ${id}` };
  if (existing.revokedAt) return { ok: true, value: toView(existing) };
  const row = await db.$transaction(async (tx) => {
    const updated = await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, actor, {
      action: "token.revoke",
      entityType: "token",
      entityId: id,
      before: toView(existing),
      after: toView(updated),
    });
    return updated;
  });
  return { ok: true, value: toView(row) };
}

/**
 * The principal behind a bearer token, or null when the token is unknown, revoked or expired, or
 * its operator is disabled or gone (issue 19: a token never outlives its maker's access). It acts
 * with the lower of its own role and its operator's current one.
 */
export async function authenticateApiToken(token: string): Promise<Extract<Principal, { kind: "token" }> | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: sha256Hex(token) } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) return null;
  const operator = row.operatorId ? await db.operator.findUnique({ where: { id: row.operatorId } }) : null;
  if (!operator || operator.disabled) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  const role = lowerRole(roleSchema.parse(row.role), roleSchema.parse(operator.role));
  return { kind: "token", tokenId: row.id, name: row.name, role, operatorId: operator.id };
}
