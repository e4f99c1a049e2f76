import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { migrateDatabase } from "@/scripts/bench/console-server";

// Issue 19, finding 1: parallel sign-ins got past the lockout (the count was read, scrypt ran, then
// count+1 was written). Against a real SQLite file, as the console runs: 30 attempts at once.

const checks = vi.hoisted(() => ({ passwords: 0 }));
vi.mock("@/lib/server/crypto", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/server/crypto")>();
  return {
    ...real,
    verifyPassword: async (password: string, stored: string) => {
      checks.passwords++;
      return real.verifyPassword(password, stored);
    },
  };
});

const dataDir = mkdtempSync(path.join(tmpdir(), "ssc-sign-in-"));
let db: typeof import("@/lib/server/db").db;
let signIn: typeof import("@/lib/server/sign-in").signIn;
let recordSignOut: typeof import("@/lib/server/sign-in").recordSignOut;
let MAX: number;
let aliceId: string;

const RIGHT = "the-right-password-1";

beforeAll(async () => {
  process.env.DATA_DIR = dataDir;
  delete process.env.DATABASE_URL;
  migrateDatabase(dataDir);
  ({ db } = await import("@/lib/server/db"));
  ({ signIn, recordSignOut, MAX_FAILED_SIGN_INS: MAX } = await import("@/lib/server/sign-in"));
  const { hashPassword } = await import("@/lib/server/crypto");
  const alice = await db.operator.create({
    data: { username: "alice", role: "admin", passwordHash: await hashPassword(RIGHT) },
  });
  aliceId = alice.id;
}, 60_000);

afterAll(async () => {
  await db?.$disconnect();
  rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await db.loginFailure.deleteMany();
  await db.auditEntry.deleteMany();
  await db.session.deleteMany();
  checks.passwords = 0;
});

const codes = (results: Array<{ ok: boolean; code?: string }>) => results.map((r) => (r.ok ? "ok" : r.code)).sort();

describe("sign-in lockout under parallel attempts", () => {
  it("30 wrong passwords at once: the limit holds, the rest are refused unchecked, and the account is locked", async () => {
    const results = await Promise.all(Array.from({ length: 30 }, () => signIn("alice", "wrong-password")));
    expect(codes(results)).toEqual([
      ...Array<string>(30 - (MAX - 1)).fill("locked"),
      ...Array<string>(MAX - 1).fill("unauthenticated"),
    ]);
    expect(checks.passwords).toBe(MAX);
    const right = await signIn("alice", RIGHT);
    expect(right).toMatchObject({ ok: false, code: "locked" });
    expect(checks.passwords).toBe(MAX);
    expect(await db.session.count()).toBe(0);
  }, 60_000);

  it("29 wrong passwords and the right one at once: the right one, counted past the limit, is refused", async () => {
    const attempts = [...Array.from({ length: 29 }, () => "wrong-password"), RIGHT];
    const results = await Promise.all(attempts.map((password) => signIn("alice", password)));
    expect(results.at(-1)).toMatchObject({ ok: false, code: "locked" });
    expect(results.filter((r) => r.ok)).toEqual([]);
    expect(checks.passwords).toBeLessThanOrEqual(MAX);
    expect(await db.session.count()).toBe(0);
  }, 60_000);

  it("an unknown username is counted and locked the same way", async () => {
    const results = await Promise.all(Array.from({ length: 30 }, () => signIn("nobody", "wrong-password")));
    expect(results.filter((r) => !r.ok && r.code === "unauthenticated")).toHaveLength(MAX - 1);
    expect(checks.passwords).toBe(MAX);
  }, 60_000);

  it("a right password resets the count", async () => {
    for (let i = 0; i < MAX - 1; i++) expect(await signIn("alice", "wrong-password")).toMatchObject({ ok: false });
    expect(await signIn("alice", RIGHT)).toMatchObject({ ok: true, value: { username: "alice" } });
    expect(await db.loginFailure.findUnique({ where: { username: "alice" } })).toBeNull();
    for (let i = 0; i < MAX - 1; i++)
      expect(await signIn("alice", "wrong-password")).toMatchObject({ ok: false, code: "unauthenticated" });
  }, 60_000);

  it("a lock that has run out is lifted at the next attempt", async () => {
    await db.loginFailure.create({
      data: { username: "alice", count: 30, lockedUntil: new Date(Date.now() - 1000) },
    });
    expect(await signIn("alice", RIGHT)).toMatchObject({ ok: true });
  });

  it("a lock written before issue 19 (count 0, lockedUntil ahead) still refuses, without checking", async () => {
    await db.loginFailure.create({
      data: { username: "alice", count: 0, lockedUntil: new Date(Date.now() + 60_000) },
    });
    expect(await signIn("alice", RIGHT)).toMatchObject({ ok: false, code: "locked" });
    expect(checks.passwords).toBe(0);
  });
});

describe("sign-in audit", () => {
  const entries = async () =>
    (await db.auditEntry.findMany({ orderBy: { id: "asc" } })).map((e) => ({
      actor: e.actor,
      via: e.via,
      action: e.action,
      entityId: e.entityId,
      after: e.after === null ? null : JSON.parse(e.after),
    }));

  it("records a sign-in and a sign-out with who", async () => {
    const result = await signIn("alice", RIGHT);
    expect(result.ok).toBe(true);
    await recordSignOut({ operatorId: aliceId, username: "alice" });
    expect(await entries()).toEqual([
      { actor: "alice", via: "ui", action: "auth.sign-in", entityId: aliceId, after: { username: "alice" } },
      { actor: "alice", via: "ui", action: "auth.sign-out", entityId: aliceId, after: null },
    ]);
  });

  it("records failed sign-ins with the username as typed and never the password, then the lockout", async () => {
    for (let i = 0; i < MAX; i++) await signIn("Alice", "p4ssw0rd-typed-by-mistake");
    await signIn("alice", RIGHT);
    const log = await entries();
    expect(JSON.stringify(log)).not.toContain("p4ssw0rd-typed-by-mistake");
    expect(JSON.stringify(log)).not.toContain(RIGHT);
    // "Alice" is not a username (they are case-sensitive) but counts towards "alice"'s lockout.
    expect(log.slice(0, MAX)).toEqual(
      Array.from({ length: MAX }, () => ({
        actor: "Alice",
        via: "ui",
        action: "auth.sign-in-failed",
        entityId: "Alice",
        after: { username: "Alice", reason: "unknown-username" },
      })),
    );
    expect(log[MAX]).toMatchObject({
      actor: "Alice",
      action: "auth.lockout",
      after: { username: "Alice", failures: MAX },
    });
    expect(log[MAX + 1]).toMatchObject({
      actor: "alice",
      action: "auth.sign-in-failed",
      after: { username: "alice", reason: "locked" },
    });
  }, 60_000);

  it("says why an existing operator's sign-in failed", async () => {
    await signIn("alice", "wrong-password");
    expect((await entries())[0].after).toEqual({ username: "alice", reason: "wrong-password" });
  });
});
