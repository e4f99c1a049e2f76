import { describe, expect, it, vi } from "vitest";
import { parse } from "csv-parse/sync";
import type { Cdr as CdrRow } from "@/generated/prisma/client";

// cdrsAsCsv reads call records through Prisma: a stand-in gives it the rows (no console database).
const cdrRows: CdrRow[] = [];
vi.mock("@/lib/server/db", () => ({ db: { cdr: { findMany: async () => cdrRows } } }));

import { neutraliseCsvCell, stringifyCsv, unneutraliseCsvCell } from "@/lib/server/csv-cells";
import { cdrsAsCsv } from "@/lib/server/cdrs";
import { parseCsv, recordToInput, toCsv } from "@/lib/server/gateway-csv";
import { mappingCsvFields } from "@/lib/server/mapping-gateway-import";
import { routingCsvFields } from "@/lib/server/routing-gateway-import";
import { createMappingGatewaySchema } from "@/lib/domain/mapping-gateway";
import { createRoutingGatewaySchema } from "@/lib/domain/routing-gateway";
import { cdrListQuerySchema } from "@/lib/domain/cdr-query";

// Issue 19, finding 6: a cell a spreadsheet would run as a formula is written with a leading '.

const FORMULAS = ["=cmd|' /C calc'!A0", "=1+2*3", "+4420", "-3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'];

describe("neutraliseCsvCell", () => {
  it.each(FORMULAS)("prefixes %j with a single quote", (cell) => {
    expect(neutraliseCsvCell(cell)).toBe(`'${cell}`);
  });

  it.each(["", "alice", "4420", "1+1", "a=b", " =x", "'quoted", "10.0.0.1"])("leaves %j as it is", (cell) => {
    expect(neutraliseCsvCell(cell)).toBe(cell);
  });

  it("gives a value that already begins with quotes before a formula character one more", () => {
    expect(neutraliseCsvCell("'=x")).toBe("''=x");
  });
});

describe("unneutraliseCsvCell", () => {
  it.each([...FORMULAS, "", "alice", "'quoted", "'=x", "''+1", "'", "''"])("gives %j back after neutralising", (v) => {
    expect(unneutraliseCsvCell(neutraliseCsvCell(v))).toBe(v);
  });

  it("takes the quote off a hand-written '-5 or '+44 (how a spreadsheet user writes text)", () => {
    expect(unneutraliseCsvCell("'-5")).toBe("-5");
    expect(unneutraliseCsvCell("'+44")).toBe("+44");
    expect(unneutraliseCsvCell("'abc")).toBe("'abc");
  });
});

describe("stringifyCsv", () => {
  it("neutralises every cell, header included, and stays valid CSV", () => {
    const text = stringifyCsv([
      ["name", "memo"],
      ["=evil", "=cmd|' /C calc'!A0"],
    ]);
    expect(text).toBe("name,memo\n'=evil,'=cmd|' /C calc'!A0\n");
    const cells = (parse(text) as string[][]).flat();
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
  });
});

describe("gateway CSV export → import with formula-like values", () => {
  const mapping = createMappingGatewaySchema.parse({
    name: "acme-1",
    authMode: "ip",
    ipAddresses: ["192.0.2.1"],
    callerRewrite: { strip: 0, prefix: "+44" },
    calleeAllowPrefixes: ["+33", "44"],
    routingGroups: ["-edge"],
    memo: "=cmd|' /C calc'!A0",
  });
  const routing = createRoutingGatewaySchema.parse({
    name: "carrier-x",
    address: "198.51.100.1",
    prefixes: ["+4420", "0044"],
    calleeRewrite: { strip: 0, prefix: "+1" },
    memo: "'=already quoted",
  });

  it("writes no cell a spreadsheet would run", () => {
    for (const csv of [
      toCsv([{ ...mapping, hasPassword: false }], mappingCsvFields),
      toCsv([{ ...routing, hasPassword: false }], routingCsvFields),
    ]) {
      const cells = (parse(csv) as string[][]).flat();
      expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
      expect(csv).toContain("'");
    }
  });

  it("reads back the same mapping gateway", () => {
    const csv = toCsv([{ ...mapping, hasPassword: false }], mappingCsvFields);
    expect(csv).toContain("'=cmd");
    expect(csv).toContain("'+44");
    expect(csv).toContain("'-edge");
    const parsed = parseCsv(csv, mappingCsvFields, 10);
    if (!parsed.ok) throw new Error(parsed.message);
    const { input, errors } = recordToInput(parsed.rows[0].record, mappingCsvFields);
    expect(errors).toEqual([]);
    expect(createMappingGatewaySchema.parse(input)).toEqual(mapping);
  });

  it("reads back the same routing gateway", () => {
    const csv = toCsv([{ ...routing, hasPassword: false }], routingCsvFields);
    const parsed = parseCsv(csv, routingCsvFields, 10);
    if (!parsed.ok) throw new Error(parsed.message);
    const { input, errors } = recordToInput(parsed.rows[0].record, routingCsvFields);
    expect(errors).toEqual([]);
    expect(createRoutingGatewaySchema.parse(input)).toEqual(routing);
  });
});

describe("call-record CSV export", () => {
  it("neutralises a formula as a caller number, and keeps +numbers readable as text", async () => {
    cdrRows.splice(0, cdrRows.length, {
      key: "e#1",
      engine: "e",
      seq: 1,
      callerReceived: "=1+2*3",
      calleeReceived: "+442071234567",
      callerSent: "-1",
      calleeSent: null,
      mappingGatewayId: null,
      mappingGatewayName: "@pbx",
      routingGatewayId: null,
      routingGatewayName: null,
      sourceAddress: "192.0.2.10:5060",
      startedAt: new Date("2026-12-01T10:00:00.000Z"),
      answeredAt: null,
      endedAt: new Date("2026-12-01T10:00:01.000Z"),
      holdSeconds: 0,
      finalCode: 403,
      finalReason: '=HYPERLINK("http://evil")',
      endedBy: "engine",
      challengesAnswered: 0,
      illegal: true,
      configVersion: 1,
      callId: "abc",
      attempts: "[]",
    });
    const csv = await cdrsAsCsv(cdrListQuerySchema.parse({}));
    const [header, row] = parse(csv) as string[][];
    const cell = (column: string) => row[header.indexOf(column)];
    expect(cell("callerReceived")).toBe("'=1+2*3");
    expect(cell("calleeReceived")).toBe("'+442071234567");
    expect(cell("callerSent")).toBe("'-1");
    expect(cell("mappingGatewayName")).toBe("'@pbx");
    expect(cell("finalReason")).toBe('\'=HYPERLINK("http://evil")');
    expect(cell("sourceAddress")).toBe("192.0.2.10:5060");
    expect(row.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
  });
});
