import type { Database } from "better-sqlite3";
import { PrismaClient } from "@/generated/prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { env } from "@/lib/server/env";
import { secureDatabaseFiles, secureDataFolder, sqliteFileOf } from "@/lib/server/data-files";

/**
 * The adapter Prisma uses, keeping the better-sqlite3 connection it opens so that a read of
 * thousands of rows can skip Prisma's row mapping (a reload reads 30,000 gateways, issue 7).
 * `client` is the adapter's own field (@prisma/adapter-better-sqlite3 6.19); when it is not there,
 * sqliteConnection() answers null and callers read through Prisma.
 */
class KeptConnectionAdapter extends PrismaBetterSQLite3 {
  connection: Database | null = null;

  override async connect() {
    // File modes (issue 19): the data folder 0700, the database and its journals 0600, before
    // SQLite opens them and again after (opening creates the database file when it is missing).
    const file = sqliteFileOf(env.databaseUrl);
    secureDataFolder(env.dataDir);
    if (file) secureDatabaseFiles(file);
    const adapter = await super.connect();
    if (file) secureDatabaseFiles(file);
    const client = (adapter as unknown as { client?: Database }).client;
    this.connection = typeof client?.prepare === "function" ? client : null;
    return adapter;
  }
}

const holder = globalThis as unknown as { prisma?: PrismaClient; prismaAdapter?: KeptConnectionAdapter };

const adapter = holder.prismaAdapter ?? new KeptConnectionAdapter({ url: env.databaseUrl });
export const db: PrismaClient = holder.prisma ?? new PrismaClient({ adapter });

holder.prisma = db;
holder.prismaAdapter = adapter;

/**
 * Prisma's own connection, open, or null (Prisma has not connected yet, or the adapter changed).
 * The same connection, so a read sees exactly what a Prisma query would at that moment. It is
 * synchronous: statements run one after another in one call see one state of the database. The
 * adapter reads integers as BigInt (defaultSafeIntegers), so a statement that wants numbers says so.
 */
export function sqliteConnection(): Database | null {
  const connection = holder.prismaAdapter?.connection;
  return connection?.open ? connection : null;
}
