import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "@/scripts/bench/console-server";
import { mappingGatewayListQuerySchema } from "@/lib/domain/mapping-gateway";
import { routingGatewayListQuerySchema } from "@/lib/domain/routing-gateway";

// Issue 19, finding 11: `%` and `_` typed in a list search acted as LIKE wildcards. The lists now
// filter in SQL with the characters escaped; against a real SQLite file, as the console runs.

const dataDir = mkdtempSync(path.join(tmpdir(), "ssc-gateway-list-"));
let db: typeof import("@/lib/server/db").db;
let listMappingGateways: typeof import("@/lib/server/mapping-gateways").listMappingGateways;
let listRoutingGateways: typeof import("@/lib/server/routing-gateways").listRoutingGateways;
let containsPattern: typeof import("@/lib/server/gateway-list").containsPattern;

beforeAll(async () => {
  process.env.DATA_DIR = dataDir;
  delete process.env.DATABASE_URL;
  migrateDatabase(dataDir);
  ({ db } = await import("@/lib/server/db"));
  ({ listMappingGateways } = await import("@/lib/server/mapping-gateways"));
  ({ listRoutingGateways } = await import("@/lib/server/routing-gateways"));
  ({ containsPattern } = await import("@/lib/server/gateway-list"));
  const mapping = (name: string, more: Record<string, unknown> = {}) =>
    db.mappingGateway.create({ data: { name, authMode: "ip", ...more } });
  await mapping("abc", { memo: "plain", priority: 3, routingGroups: '["gold"]' });
  await mapping("a_c", { memo: "100% sure", priority: 1, routingGroups: '["a_b"]' });
  await mapping("Back\\slash", { priority: 2, enabled: false, routingGroups: '["axb"]' });
  await mapping("zeta", { authMode: "password", authUsername: "ZETA-user", priority: 3 });
  await db.routingGateway.create({ data: { name: "carrier_1", kind: "static", prefixes: '["44"]', group: "a_b" } });
  await db.routingGateway.create({ data: { name: "carrierX1", kind: "static", prefixes: '["4%"]', memo: "50%" } });
}, 60_000);

afterAll(async () => {
  await db?.$disconnect();
  rmSync(dataDir, { recursive: true, force: true });
});

const mappingNames = async (query: Record<string, string>) =>
  (await listMappingGateways(mappingGatewayListQuerySchema.parse(query))).items.map((g) => g.name);
const routingNames = async (query: Record<string, string>) =>
  (await listRoutingGateways(routingGatewayListQuerySchema.parse(query))).items.map((g) => g.name);

describe("containsPattern", () => {
  it("escapes %, _ and the escape character itself", () => {
    expect(containsPattern("a_b%c\\d")).toBe("%a\\_b\\%c\\\\d%");
  });
});

describe("gateway list search", () => {
  it("takes _ and % literally", async () => {
    expect(await mappingNames({ search: "_" })).toEqual(["a_c"]);
    expect(await mappingNames({ search: "a_c" })).toEqual(["a_c"]);
    expect(await mappingNames({ search: "%" })).toEqual(["a_c"]);
    expect(await mappingNames({ search: "0% s" })).toEqual(["a_c"]);
    expect(await routingNames({ search: "r_" })).toEqual(["carrier_1"]);
    expect(await routingNames({ search: "%" })).toEqual(["carrierX1"]);
  });

  it("takes a backslash literally", async () => {
    expect(await mappingNames({ search: "k\\s" })).toEqual(["Back\\slash"]);
  });

  it("still finds text anywhere, without regard to ASCII case, in each searched column", async () => {
    expect(await mappingNames({ search: "AB" })).toEqual(["abc"]);
    expect(await mappingNames({ search: "zeta-USER" })).toEqual(["zeta"]);
    expect(await mappingNames({ search: "PLAIN" })).toEqual(["abc"]);
    expect(await routingNames({ search: "50" })).toEqual(["carrierX1"]);
  });

  it("matches a group exactly, _ included", async () => {
    expect(await mappingNames({ group: "a_b" })).toEqual(["a_c"]);
    expect(await routingNames({ group: "a_b" })).toEqual(["carrier_1"]);
  });

  it("keeps the other filters, the order and the paging", async () => {
    expect(await mappingNames({})).toEqual(["Back\\slash", "a_c", "abc", "zeta"]);
    expect(await mappingNames({ enabled: "false" })).toEqual(["Back\\slash"]);
    expect(await mappingNames({ authMode: "password" })).toEqual(["zeta"]);
    expect(await mappingNames({ sort: "priority", order: "desc" })).toEqual(["abc", "zeta", "Back\\slash", "a_c"]);
    const page = await listMappingGateways(mappingGatewayListQuerySchema.parse({ page: "2", pageSize: "3" }));
    expect(page).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(page.items.map((g) => g.name)).toEqual(["zeta"]);
    expect(await routingNames({ kind: "dynamic" })).toEqual([]);
  });
});
