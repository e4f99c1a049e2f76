import { PrismaClient } from "@/generated/prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { env } from "@/lib/server/env";

const holder = globalThis as unknown as { prisma?: PrismaClient };

export const db: PrismaClient =
  holder.prisma ?? new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: env.databaseUrl }) });

holder.prisma = db;
