import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "@/scripts/bench/console-server";

// loadCurrentSource reads the gateways straight from Prisma's SQLite connection (issue 7): it must
// give what the same read through Prisma gives, for every column and value kind.

const dataDir = mkdtempSync(path.join(tmpdir(), "ssc-source-read-"));
let db: typeof import("@/lib/server/db").db;
let sqliteConnection: typeof import("@/lib/server/db").sqliteConnection;
let loadCurrentSource: typeof import("@/lib/server/config-source").loadCurrentSource;

beforeAll(async () => {
  process.env.DATA_DIR = dataDir;
  delete process.env.DATABASE_URL;
  migrateDatabase(dataDir);
  ({ db, sqliteConnection } = await import("@/lib/server/db"));
  ({ loadCurrentSource } = await import("@/lib/server/config-source"));
}, 60_000);

afterAll(async () => {
  await db?.$disconnect();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("loadCurrentSource", () => {
  it("reads the same configuration directly as through Prisma", async () => {
    await db.mappingGateway.create({
      data: {
        name: "pbx-b",
        enabled: false,
        locked: true,
        authMode: "ip-port",
        ipAddresses: '["10.0.0.1","10.0.0.2"]',
        port: 5062,
        authUsername: null,
        capacity: 7,
        priority: -3,
        calleeAllowPrefixes: '["44"]',
        calleeDenyPrefixes: '["449"]',
        callerRewrite: '{"strip":1,"prefix":"+"}',
        calleeRewrite: '{"strip":2,"prefix":"00"}',
        routingGroups: '["gold","silver"]',
        replyAddress: "contact",
        memo: "é ✓",
        version: 4,
      },
    });
    await db.mappingGateway.create({
      data: { name: "alice", authMode: "password", authUsername: "al", passwordCipher: "v1:cipher" },
    });
    await db.routingGateway.create({
      data: {
        name: "carrier",
        enabled: false,
        kind: "register-out",
        address: "192.0.2.1",
        port: 5080,
        transport: "tcp",
        prefixes: '["1","+44"]',
        prefixMode: "continue",
        priority: 2,
        capacity: 30,
        group: "gold",
        authUsername: "u",
        passwordCipher: "v1:carrier",
        authRealm: "realm",
        fromUser: "fu",
        fromDomain: "fd",
        callerRewrite: '{"strip":0,"prefix":"1"}',
        calleeRewrite: '{"strip":3,"prefix":""}',
        failoverCodes: "[503,486]",
        failoverOnAuthFailure: false,
        memo: "m",
        version: 2,
      },
    });
    await db.routingGateway.create({ data: { name: "a-dynamic", kind: "dynamic" } });
    await db.parameter.create({ data: { name: "SS_ENDPOINT_EXPIRE", value: "1800", updatedBy: "test" } });

    const viaPrisma = await loadCurrentSource({ throughPrisma: true });
    expect(sqliteConnection()).not.toBeNull();
    const direct = await loadCurrentSource();
    expect(direct.mappingGateways.map((g) => g.name)).toEqual(["alice", "pbx-b"]);
    expect(direct.parameters.SS_ENDPOINT_EXPIRE).toBe(1800);
    expect(direct.routingGateways.map((g) => [g.name, g.failoverOnAuthFailure])).toEqual([
      ["a-dynamic", true],
      ["carrier", false],
    ]);
    // Same values and the same key order (the source is stored as JSON beside each snapshot).
    expect(JSON.stringify(direct)).toBe(JSON.stringify(viaPrisma));
  });
});
