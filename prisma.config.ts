import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// Same default as lib/server/env.ts: the database lives in the data folder.
const dataDir = process.env.DATA_DIR ?? "./data";
const url = process.env.DATABASE_URL ?? `file:${dataDir}/app.db`;

// The wasm engine replays migrations into the shadow DB with executeRaw(); better-sqlite3
// prepare() rejects multi-statement SQL (every SQLite "RedefineTables" migration). Use exec().
type Query = { sql: string; args: unknown[] };
type Adapter = { executeRaw(q: Query): Promise<number>; executeScript(s: string): Promise<void> };
function multiStatementSafe<T extends Adapter>(adapter: T): T {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (q: Query) => {
    if (q.args.length === 0 && /;\s*\S/.test(q.sql.trim().replace(/;\s*$/, ""))) {
      await adapter.executeScript(q.sql);
      return 0;
    }
    return executeRaw(q);
  };
  return adapter;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js", // wasm schema engine: nothing is downloaded
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  adapter: async () => {
    const factory = new PrismaBetterSQLite3({ url });
    const connect = factory.connect.bind(factory);
    const shadow = factory.connectToShadowDb.bind(factory);
    factory.connect = async () => multiStatementSafe(await connect());
    factory.connectToShadowDb = async () => multiStatementSafe(await shadow());
    return factory;
  },
});
