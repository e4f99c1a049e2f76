import { db } from "@/lib/server/db";
import { randomSecret, sha256Hex } from "@/lib/server/crypto";
import { recordAudit } from "@/lib/server/audit";
import { roleSchema, type Role } from "@/lib/domain/roles";
import type { ApiTokenView } from "@/lib/domain/api-token";
import type { ServiceResult } from "@/lib/server/http";
import type { Actor, Principal } from "@/lib/server/principal";
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

export async function createApiToken(
  input: { name: string; role: Role; expiresAt?: string | null },
  actor: Actor,
): Promise<ServiceResult<ApiTokenView & { token: string }>> {
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

export async function authenticateApiToken(token: string): Promise<Extract<Principal, { kind: "token" }> | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: sha256Hex(token) } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { kind: "token", tokenId: row.id, name: row.name, role: roleSchema.parse(row.role) };
}
