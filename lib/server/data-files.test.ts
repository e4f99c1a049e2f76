import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { secureDatabaseFiles, secureDataFolder, sqliteFileOf } from "@/lib/server/data-files";

// Issue 19, finding 7: data/app.db and its journal were 0644, readable by any local user. The console
// opens its database (lib/server/db.ts) with the folder 0700 and the database files 0600.

const saved = { DATA_DIR: process.env.DATA_DIR, DATABASE_URL: process.env.DATABASE_URL };
const roots: string[] = [];
const modeOf = (file: string) => statSync(file).mode & 0o7777;

function scratch(): string {
  const root = mkdtempSync(path.join(tmpdir(), "ssc-data-files-"));
  roots.push(root);
  return root;
}

/** db.ts as the console loads it, with DATA_DIR set (env.ts reads the environment once, on import). */
async function openConsoleDatabase(dataDir: string) {
  process.env.DATA_DIR = dataDir;
  delete process.env.DATABASE_URL;
  const holder = globalThis as { prisma?: unknown; prismaAdapter?: unknown };
  delete holder.prisma;
  delete holder.prismaAdapter;
  vi.resetModules();
  return (await import("@/lib/server/db")).db;
}

afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe("the console's data folder and database files", () => {
  it("a new data folder is made 0700 and the database SQLite creates in it 0600", async () => {
    const dataDir = path.join(scratch(), "data");
    const db = await openConsoleDatabase(dataDir);
    try {
      await db.$executeRawUnsafe(`CREATE TABLE "t" ("x" INTEGER)`);
      await db.$executeRawUnsafe(`INSERT INTO "t" VALUES (1)`);
    } finally {
      await db.$disconnect();
    }
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(path.join(dataDir, "app.db"))).toBe(0o600);
  });

  it("an existing folder and database left open to everyone are tightened, and SQLite's WAL files follow", async () => {
    const dataDir = path.join(scratch(), "data");
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    const file = path.join(dataDir, "app.db");
    const before = new Database(file);
    before.pragma("journal_mode = WAL");
    before.exec(`CREATE TABLE "t" ("x" INTEGER)`);
    before.close();
    chmodSync(file, 0o644);
    writeFileSync(`${file}-journal`, "");
    chmodSync(`${file}-journal`, 0o644);

    const db = await openConsoleDatabase(dataDir);
    try {
      await db.$executeRawUnsafe(`INSERT INTO "t" VALUES (1)`);
      // While the connection is open, SQLite keeps its -wal and -shm files: made with the database's mode.
      expect(modeOf(`${file}-wal`)).toBe(0o600);
      expect(modeOf(`${file}-shm`)).toBe(0o600);
    } finally {
      await db.$disconnect();
    }
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    if (existsSync(`${file}-journal`)) expect(modeOf(`${file}-journal`)).toBe(0o600);
  });
});

describe("secureDataFolder and secureDatabaseFiles", () => {
  it("leave a shared folder with the sticky bit (DATA_DIR=/tmp) as it is", () => {
    const shared = path.join(scratch(), "shared");
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    secureDataFolder(shared);
    expect(modeOf(shared)).toBe(0o1777);
  });

  it("set every SQLite file that exists to 0600 and pass over the missing ones", () => {
    const file = path.join(scratch(), "x.db");
    for (const suffix of ["", "-journal"]) {
      writeFileSync(file + suffix, "");
      chmodSync(file + suffix, 0o666);
    }
    secureDatabaseFiles(file);
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(`${file}-journal`)).toBe(0o600);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it("find the file a database URL names", () => {
    expect(sqliteFileOf("file:/var/lib/ssc/app.db")).toBe("/var/lib/ssc/app.db");
    expect(sqliteFileOf("file:./data/app.db?connection_limit=1")).toBe(path.resolve("data/app.db"));
    expect(sqliteFileOf("file::memory:")).toBeNull();
    expect(sqliteFileOf("postgresql://localhost/ssc")).toBeNull();
  });
});
