import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "@/scripts/bench/console-server";
import type { Role } from "@/lib/domain/roles";
import type { Principal } from "@/lib/server/principal";

// Issue 19, finding 2: a token outlived its creator (the disabled admin's token made a new admin).
// A token belongs to its operator: refused when that operator is disabled or gone, and never above
// that operator's current role.

const dataDir = mkdtempSync(path.join(tmpdir(), "ssc-api-tokens-"));
let db: typeof import("@/lib/server/db").db;
let tokens: typeof import("@/lib/server/api-tokens");

beforeAll(async () => {
  process.env.DATA_DIR = dataDir;
  delete process.env.DATABASE_URL;
  migrateDatabase(dataDir);
  ({ db } = await import("@/lib/server/db"));
  tokens = await import("@/lib/server/api-tokens");
}, 60_000);

afterAll(async () => {
  await db?.$disconnect();
  rmSync(dataDir, { recursive: true, force: true });
});

let serial = 0;
async function operator(role: Role): Promise<{ id: string; principal: Principal }> {
  const username = `op-${++serial}`;
  const row = await db.operator.create({ data: { username, role, passwordHash: "none" } });
  return { id: row.id, principal: { kind: "session", operatorId: row.id, username, role, sessionId: "s" } };
}

async function tokenOf(principal: Principal, role: Role): Promise<string> {
  const created = await tokens.createApiToken({ name: `token-${++serial}`, role }, principal);
  if (!created.ok) throw new Error(created.message);
  return created.value.token;
}

describe("API tokens belong to their operator", () => {
  it("works while its operator is enabled, and is refused once the operator is disabled", async () => {
    const admin = await operator("admin");
    const token = await tokenOf(admin.principal, "admin");
    expect(await tokens.authenticateApiToken(token)).toMatchObject({
      kind: "token",
      role: "admin",
      operatorId: admin.id,
    });
    await db.operator.update({ where: { id: admin.id }, data: { disabled: true } });
    expect(await tokens.authenticateApiToken(token)).toBeNull();
    await db.operator.update({ where: { id: admin.id }, data: { disabled: false } });
    expect(await tokens.authenticateApiToken(token)).not.toBeNull();
  });

  it("is refused once its operator is removed", async () => {
    const admin = await operator("admin");
    const token = await tokenOf(admin.principal, "operator");
    await db.operator.delete({ where: { id: admin.id } });
    expect(await tokens.authenticateApiToken(token)).toBeNull();
  });

  it("acts with at most its operator's current role", async () => {
    const admin = await operator("admin");
    const adminToken = await tokenOf(admin.principal, "admin");
    const viewerToken = await tokenOf(admin.principal, "viewer");
    await db.operator.update({ where: { id: admin.id }, data: { role: "operator" } });
    expect((await tokens.authenticateApiToken(adminToken))?.role).toBe("operator");
    expect((await tokens.authenticateApiToken(viewerToken))?.role).toBe("viewer");
    await db.operator.update({ where: { id: admin.id }, data: { role: "viewer" } });
    expect((await tokens.authenticateApiToken(adminToken))?.role).toBe("viewer");
  });

  it("a token made by a token belongs to the first token's operator", async () => {
    const admin = await operator("admin");
    const parent = await tokens.authenticateApiToken(await tokenOf(admin.principal, "admin"));
    if (!parent) throw new Error("the parent token should authenticate");
    const child = await tokenOf(parent, "admin");
    expect(await tokens.authenticateApiToken(child)).toMatchObject({ operatorId: admin.id, role: "admin" });
    await db.operator.update({ where: { id: admin.id }, data: { disabled: true } });
    expect(await tokens.authenticateApiToken(child)).toBeNull();
  });

  it("a token with no operator (made before issue 19 by someone since gone) is refused", async () => {
    const admin = await operator("admin");
    const token = await tokenOf(admin.principal, "viewer");
    await db.apiToken.updateMany({ where: { operatorId: admin.id }, data: { operatorId: null } });
    expect(await tokens.authenticateApiToken(token)).toBeNull();
  });

  it("cannot be made without an operator", async () => {
    const made = await tokens.createApiToken(
      { name: "from-cli", role: "viewer" },
      { kind: "cli", name: "cli", role: "admin" },
    );
    expect(made).toMatchObject({ ok: false, code: "forbidden" });
  });
});
