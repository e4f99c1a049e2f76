import { parse } from "csv-parse/sync";
import { stringifyCsv, unneutraliseCsvCell } from "@/lib/server/csv-cells";

// CSV <-> gateway fields. One row per gateway; lists inside a cell are separated by ";";
// rewrite rules are two columns each (…Strip, …Prefix). Passwords are import-only. Cells that could
// start a spreadsheet formula are exported with a leading ' and read back without it (csv-cells.ts).

export type CsvField = {
  column: string;
  key: string;
  kind: "text" | "optionalText" | "bool" | "int" | "optionalInt" | "list" | "intList" | "importOnly" | "exportOnly";
  /** For rewrite rules: the property inside the object at `key`. */
  sub?: "strip" | "prefix";
};

/** Columns both gateway kinds share: the write-only password, and the two rewrite rules. */
export const secretCsvFields: CsvField[] = [
  { column: "password", key: "password", kind: "importOnly" },
  { column: "hasPassword", key: "hasPassword", kind: "exportOnly" },
];
export const rewriteCsvFields: CsvField[] = [
  { column: "callerStrip", key: "callerRewrite", kind: "int", sub: "strip" },
  { column: "callerPrefix", key: "callerRewrite", kind: "text", sub: "prefix" },
  { column: "calleeStrip", key: "calleeRewrite", kind: "int", sub: "strip" },
  { column: "calleePrefix", key: "calleeRewrite", kind: "text", sub: "prefix" },
];

const BOOLEAN: Record<string, boolean> = {
  true: true,
  yes: true,
  "1": true,
  on: true,
  false: false,
  no: false,
  "0": false,
  off: false,
};

export type CsvParse =
  { ok: true; rows: Array<{ line: number; record: Record<string, string> }> } | { ok: false; message: string };

export function parseCsv(text: string, fields: CsvField[], maxRows: number): CsvParse {
  let records: string[][];
  let lines: number[];
  try {
    // Unquoted cells are trimmed (a password with outer spaces must be quoted); `info` gives each
    // record's line, so rows after a blank line are still reported where a spreadsheet shows them.
    const parsed = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      trim: true,
      info: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
    records = parsed.map((p) => p.record.map(unneutraliseCsvCell));
    lines = parsed.map((p) => p.info.lines);
  } catch (error) {
    return { ok: false, message: `The file is not valid CSV: ${(error as Error).message}` };
  }
  if (records.length === 0) return { ok: false, message: "The file is empty: the first line must name the columns" };
  const header = records[0];
  const known = new Set(fields.map((f) => f.column));
  const unknown = header.filter((h) => !known.has(h));
  if (unknown.length > 0)
    return {
      ok: false,
      message: `Unknown column${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}. Known columns: ${[...known].join(", ")}`,
    };
  if (!header.includes("name")) return { ok: false, message: "The name column is required" };
  if (records.length - 1 > maxRows)
    return { ok: false, message: `At most ${maxRows} rows per import; this file has ${records.length - 1}` };
  const rows = records.slice(1).map((cells, i) => ({
    line: lines[i + 1],
    record: Object.fromEntries(header.map((h, j) => [h, cells[j] ?? ""])),
  }));
  return { ok: true, rows };
}

/** Turns one CSV record into the input object for the create schema; empty cells take the default. */
export function recordToInput(
  record: Record<string, string>,
  fields: CsvField[],
): { input: Record<string, unknown>; errors: string[] } {
  const input: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const f of fields) {
    const cell = record[f.column];
    if (cell === undefined || f.kind === "exportOnly") continue;
    if (cell === "") {
      if (f.kind === "optionalText" || f.kind === "optionalInt") input[f.key] = null;
      continue;
    }
    let value: unknown = cell;
    if (f.kind === "bool") {
      value = BOOLEAN[cell.toLowerCase()];
      if (value === undefined) errors.push(`${f.column} must be true or false (or yes/no, 1/0, on/off), not "${cell}"`);
    } else if (f.kind === "int" || f.kind === "optionalInt") {
      value = /^-?\d+$/.test(cell) ? Number(cell) : undefined;
      if (value === undefined) errors.push(`${f.column} must be a whole number, not "${cell}"`);
    } else if (f.kind === "list") {
      value = cell
        .split(";")
        .map((s) => s.trim())
        .filter(Boolean);
    } else if (f.kind === "intList") {
      const items = cell
        .split(";")
        .map((s) => s.trim())
        .filter(Boolean);
      const bad = items.find((s) => !/^\d+$/.test(s));
      if (bad) errors.push(`${f.column} must be whole numbers separated by ;, not "${bad}"`);
      value = items.map(Number);
    }
    if (f.sub) input[f.key] = { ...(input[f.key] as object), [f.sub]: value };
    else input[f.key] = value;
  }
  return { input, errors };
}

function cellOf(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.join(";");
  return String(value);
}

export function toCsv<T extends Record<string, unknown>>(items: T[], fields: CsvField[]): string {
  const columns = fields.filter((f) => f.kind !== "importOnly");
  const rows = items.map((item) =>
    columns.map((f) => cellOf(f.sub ? (item[f.key] as Record<string, unknown>)[f.sub] : item[f.key])),
  );
  return stringifyCsv([columns.map((f) => f.column), ...rows]);
}
