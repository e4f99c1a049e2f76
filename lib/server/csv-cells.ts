import { stringify } from "csv-stringify/sync";

// CSV formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that begins with = + - @,
// a tab or a carriage return as a formula. Every CSV the console writes goes through stringifyCsv,
// which prefixes such a cell with a single quote, so the spreadsheet shows it as text. That includes
// legitimate values (-3, +4420…): OWASP says prefix anyway. Importers read cells through
// unneutraliseCsvCell, which takes that quote off again, so export → import gives back every value.
// A value that itself begins with quotes before such a character gets one more quote, so that
// taking one off is always right.

const NEEDS_QUOTE = /^'*[=+\-@\t\r]/;
const QUOTED = /^'+[=+\-@\t\r]/;

/** The cell as a spreadsheet will show it as text: one leading `'` when it could start a formula. */
export function neutraliseCsvCell(cell: string): string {
  return NEEDS_QUOTE.test(cell) ? `'${cell}` : cell;
}

/** The value an exported cell stood for: the inverse of neutraliseCsvCell. */
export function unneutraliseCsvCell(cell: string): string {
  return QUOTED.test(cell) ? cell.slice(1) : cell;
}

/** Rows (the first one the header) as CSV text, every cell neutralised. */
export function stringifyCsv(rows: string[][]): string {
  return stringify(rows.map((row) => row.map(neutraliseCsvCell)));
}
