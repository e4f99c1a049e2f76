import { Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/server/db";

// The gateway lists' filters in SQL (issue 19). Prisma's `contains` is LIKE '%…%' with no ESCAPE
// clause, so `%` and `_` typed in a search acted as wildcards ("a_c" found "abc"). Here every
// search is a LIKE … ESCAPE '\' with those characters escaped: a search finds what was typed, still
// without regard to ASCII case, as before. The page's ids come from SQL; the rows then from Prisma.

const IDENTIFIER = /^[A-Za-z]+$/;

function identifier(name: string): Prisma.Sql {
  if (!IDENTIFIER.test(name)) throw new Error(`not a column or table name: ${name}`);
  return Prisma.raw(`"${name}"`);
}

/** A LIKE pattern that finds `text` anywhere, `%`, `_` and `\` in it taken literally (with ESCAPE '\'). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `text` appears in any of `columns` (literally, ASCII case ignored). */
export function containsInAny(columns: string[], text: string): Prisma.Sql {
  const pattern = containsPattern(text);
  const tests = columns.map((c) => Prisma.sql`${identifier(c)} LIKE ${pattern} ESCAPE '\\'`);
  return Prisma.sql`(${Prisma.join(tests, " OR ")})`;
}

/** `column` = `value`. Booleans are kept as 0 and 1. */
export function equals(column: string, value: string | number | boolean): Prisma.Sql {
  return Prisma.sql`${identifier(column)} = ${typeof value === "boolean" ? Number(value) : value}`;
}

export type IdPage = { ids: string[]; total: number };

/** One page of a gateway table's ids under `conditions` (all must hold), sorted, then by name. */
export async function gatewayIdPage(
  table: "MappingGateway" | "RoutingGateway",
  conditions: Prisma.Sql[],
  sort: { column: string; order: "asc" | "desc" },
  page: number,
  pageSize: number,
): Promise<IdPage> {
  const from = identifier(table);
  const where = conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
  const direction = Prisma.raw(sort.order === "desc" ? "DESC" : "ASC");
  const [rows, count] = await Promise.all([
    db.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM ${from} ${where}
      ORDER BY ${identifier(sort.column)} ${direction}, "name" ASC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    db.$queryRaw<Array<{ total: number | bigint }>>`SELECT COUNT(*) AS "total" FROM ${from} ${where}`,
  ]);
  return { ids: rows.map((r) => r.id), total: Number(count[0].total) };
}

const SLICE = 500; // well under SQLite's limit on the values one statement may bind

/** The rows of `ids`, in that order, read a slice at a time. */
export async function rowsInOrder<T extends { id: string }>(
  ids: string[],
  read: (slice: string[]) => Promise<T[]>,
): Promise<T[]> {
  const byId = new Map<string, T>();
  for (let i = 0; i < ids.length; i += SLICE)
    for (const row of await read(ids.slice(i, i + SLICE))) byId.set(row.id, row);
  return ids.flatMap((id) => byId.get(id) ?? []);
}
