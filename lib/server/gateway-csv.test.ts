import { describe, expect, it, vi } from "vitest";

// mapping-gateway-import.ts imports the Prisma client; keep the test from opening the console database.
vi.mock("@/lib/server/db", () => ({ db: {} }));

import { parseCsv, recordToInput, toCsv, type CsvField } from "@/lib/server/gateway-csv";
import { mappingCsvFields } from "@/lib/server/mapping-gateway-import";
import { routingCsvFields } from "@/lib/server/routing-gateway-import";
import { createMappingGatewaySchema } from "@/lib/domain/mapping-gateway";
import { createRoutingGatewaySchema } from "@/lib/domain/routing-gateway";

// Every kind of column, small enough to read.
const FIELDS: CsvField[] = [
  { column: "name", key: "name", kind: "text" },
  { column: "enabled", key: "enabled", kind: "bool" },
  { column: "capacity", key: "capacity", kind: "int" },
  { column: "port", key: "port", kind: "optionalInt" },
  { column: "authUsername", key: "authUsername", kind: "optionalText" },
  { column: "prefixes", key: "prefixes", kind: "list" },
  { column: "failoverCodes", key: "failoverCodes", kind: "intList" },
  { column: "password", key: "password", kind: "importOnly" },
  { column: "hasPassword", key: "hasPassword", kind: "exportOnly" },
  { column: "calleeStrip", key: "calleeRewrite", kind: "int", sub: "strip" },
  { column: "calleePrefix", key: "calleeRewrite", kind: "text", sub: "prefix" },
  { column: "memo", key: "memo", kind: "text" },
];
const KNOWN = FIELDS.map((f) => f.column).join(", ");

function rowsOf(text: string, maxRows = 100) {
  const parsed = parseCsv(text, FIELDS, maxRows);
  if (!parsed.ok) throw new Error(`expected a parse, got: ${parsed.message}`);
  return parsed.rows;
}

function messageOf(text: string, maxRows = 100): string {
  const parsed = parseCsv(text, FIELDS, maxRows);
  if (parsed.ok) throw new Error("expected the file to be refused");
  return parsed.message;
}

describe("parseCsv", () => {
  it("numbers data rows from line 2, as a spreadsheet shows them", () => {
    expect(rowsOf("name,capacity\nacme,10\nbeta,20\n")).toEqual([
      { line: 2, record: { name: "acme", capacity: "10" } },
      { line: 3, record: { name: "beta", capacity: "20" } },
    ]);
  });

  it('ignores a UTF-8 byte order mark (Excel\'s "CSV UTF-8")', () => {
    expect(rowsOf("\uFEFFname,enabled\r\nacme,yes\r\n")).toEqual([
      { line: 2, record: { name: "acme", enabled: "yes" } },
    ]);
  });

  it("keeps commas and quotes inside quoted cells, and trims cells", () => {
    expect(rowsOf('name,memo\n  acme , "London, Paris and ""Rome"""\n')).toEqual([
      { line: 2, record: { name: "acme", memo: 'London, Paris and "Rome"' } },
    ]);
  });

  it("accepts a header with no data rows", () => {
    expect(rowsOf("name,memo\n")).toEqual([]);
  });

  it.each(["", "\uFEFF", "\n\n"])("refuses an empty file %j", (text) => {
    expect(messageOf(text)).toBe("The file is empty: the first line must name the columns");
  });

  it("refuses an unknown column, listing the known ones", () => {
    expect(messageOf("name,colour\nacme,red\n")).toBe(`Unknown column: colour. Known columns: ${KNOWN}`);
  });

  it("lists every unknown column", () => {
    expect(messageOf("Name,ip\nacme,1.2.3.4\n")).toBe(`Unknown columns: Name, ip. Known columns: ${KNOWN}`);
  });

  it("requires the name column", () => {
    expect(messageOf("enabled,capacity\ntrue,3\n")).toBe("The name column is required");
  });

  it("refuses more rows than allowed, saying how many the file has", () => {
    expect(messageOf("name\na\nb\nc\n", 2)).toBe("At most 2 rows per import; this file has 3");
    expect(rowsOf("name\na\nb\n", 2)).toHaveLength(2);
  });

  it("refuses a row with the wrong number of cells as invalid CSV", () => {
    expect(messageOf("name,capacity\nacme,1,extra\n")).toMatch(/^The file is not valid CSV: /);
  });
});

describe("recordToInput", () => {
  it("omits empty cells so the create schema applies its defaults", () => {
    expect(recordToInput({ name: "acme", enabled: "", capacity: "", prefixes: "", memo: "" }, FIELDS)).toEqual({
      input: { name: "acme" },
      errors: [],
    });
  });

  it("turns empty optional cells into null (clears the value)", () => {
    expect(recordToInput({ name: "acme", port: "", authUsername: "" }, FIELDS)).toEqual({
      input: { name: "acme", port: null, authUsername: null },
      errors: [],
    });
  });

  it("leaves out columns the file does not have", () => {
    expect(recordToInput({ name: "acme" }, FIELDS).input).toEqual({ name: "acme" });
  });

  it.each([
    ["true", true],
    ["TRUE", true],
    ["yes", true],
    ["Yes", true],
    ["1", true],
    ["on", true],
    ["false", false],
    ["False", false],
    ["no", false],
    ["0", false],
    ["off", false],
    ["OFF", false],
  ])("reads %j as %s", (cell, value) => {
    expect(recordToInput({ enabled: cell }, FIELDS)).toEqual({ input: { enabled: value }, errors: [] });
  });

  it("names the column and the cell for a value that is not a yes/no", () => {
    expect(recordToInput({ enabled: "maybe" }, FIELDS).errors).toEqual([
      'enabled must be true or false (or yes/no, 1/0, on/off), not "maybe"',
    ]);
  });

  it("reads whole numbers, negative ones included (the schema judges the range)", () => {
    expect(recordToInput({ capacity: "120", port: "5060", calleeStrip: "-1" }, FIELDS)).toEqual({
      input: { capacity: 120, port: 5060, calleeRewrite: { strip: -1 } },
      errors: [],
    });
  });

  it.each(["12x", "1.5", "1e3", "0x10", "ten"])("refuses %j as a whole number", (cell) => {
    expect(recordToInput({ capacity: cell }, FIELDS).errors).toEqual([
      `capacity must be a whole number, not "${cell}"`,
    ]);
  });

  it("shows the exact message for 12x in an optional number column", () => {
    expect(recordToInput({ port: "12x" }, FIELDS).errors).toEqual(['port must be a whole number, not "12x"']);
  });

  it("splits lists on ; trimming items and dropping empty ones", () => {
    expect(recordToInput({ prefixes: " 44 ; 33;;+1 ;" }, FIELDS).input).toEqual({ prefixes: ["44", "33", "+1"] });
  });

  it("reads a list of whole numbers", () => {
    expect(recordToInput({ failoverCodes: "503; 408 ;480" }, FIELDS)).toEqual({
      input: { failoverCodes: [503, 408, 480] },
      errors: [],
    });
  });

  it("names the first bad item of a number list", () => {
    expect(recordToInput({ failoverCodes: "503;4o8;abc" }, FIELDS).errors).toEqual([
      'failoverCodes must be whole numbers separated by ;, not "4o8"',
    ]);
  });

  it("builds a rewrite rule from its two columns", () => {
    expect(recordToInput({ calleeStrip: "2", calleePrefix: "+44" }, FIELDS).input).toEqual({
      calleeRewrite: { strip: 2, prefix: "+44" },
    });
    expect(recordToInput({ calleeStrip: "", calleePrefix: "0" }, FIELDS).input).toEqual({
      calleeRewrite: { prefix: "0" },
    });
  });

  it("reads an import-only password and ignores the export-only hasPassword column", () => {
    expect(recordToInput({ name: "acme", password: "s3cret", hasPassword: "true" }, FIELDS).input).toEqual({
      name: "acme",
      password: "s3cret",
    });
  });

  it("collects every bad cell of a row", () => {
    expect(recordToInput({ enabled: "maybe", capacity: "lots" }, FIELDS).errors).toEqual([
      'enabled must be true or false (or yes/no, 1/0, on/off), not "maybe"',
      'capacity must be a whole number, not "lots"',
    ]);
  });
});

describe("toCsv", () => {
  const item = {
    name: "acme",
    enabled: true,
    capacity: 10,
    port: null,
    authUsername: null,
    prefixes: ["44", "33"],
    failoverCodes: [503, 408],
    password: "never-exported",
    hasPassword: true,
    calleeRewrite: { strip: 1, prefix: "+44" },
    memo: "London, Paris",
  };

  it("writes a header without import-only columns, then one line per gateway", () => {
    const csv = toCsv([item], FIELDS);
    expect(csv.split("\n")[0]).toBe(
      "name,enabled,capacity,port,authUsername,prefixes,failoverCodes,hasPassword,calleeStrip,calleePrefix,memo",
    );
    // +44 could start a spreadsheet formula: written '+44 (issue 19), read back as +44.
    expect(csv).toBe(
      "name,enabled,capacity,port,authUsername,prefixes,failoverCodes,hasPassword,calleeStrip,calleePrefix,memo\n" +
        'acme,true,10,,,44;33,503;408,true,1,\'+44,"London, Paris"\n',
    );
  });

  it("never writes the password", () => {
    expect(toCsv([item], FIELDS)).not.toContain("never-exported");
  });

  it("writes only the header when there is nothing to export", () => {
    expect(toCsv([], [FIELDS[0], FIELDS[1]])).toBe("name,enabled\n");
  });

  it("quotes a memo with quotes or a line break", () => {
    expect(toCsv([{ name: "a", memo: 'say "hi"\nthen go' }], [FIELDS[0], FIELDS[11]])).toBe(
      'name,memo\na,"say ""hi""\nthen go"\n',
    );
  });
});

describe("mapping gateway CSV round trip", () => {
  const gateways = [
    createMappingGatewaySchema.parse({
      name: "Acme London",
      authMode: "ip-port",
      ipAddresses: ["192.0.2.1", "2001:db8::1"],
      port: 5060,
      enabled: false,
      locked: true,
      capacity: 30,
      priority: 5,
      calleeAllowPrefixes: ["44", "+33"],
      calleeDenyPrefixes: ["0044900"],
      callerRewrite: { strip: 2, prefix: "+44" },
      calleeRewrite: { strip: 0, prefix: "0" },
      routingGroups: ["uk", "eu-west"],
      replyAddress: "via",
      memo: 'Main site, 2nd floor; rack "B"',
    }),
    createMappingGatewaySchema.parse({
      name: "alice",
      authMode: "password",
      authUsername: "alice01",
      password: "s3cret",
    }),
    createMappingGatewaySchema.parse({ name: "beta", authMode: "ip", ipAddresses: ["198.51.100.7"] }),
  ].map(({ password: _password, ...config }) => ({ ...config, hasPassword: config.authMode === "password" }));

  it("gives back the same configuration for every gateway", () => {
    const csv = toCsv(gateways, mappingCsvFields);
    expect(csv.split("\n")[0].split(",")).not.toContain("password");
    const parsed = parseCsv(csv, mappingCsvFields, 100);
    expect(parsed.ok).toBe(true);
    const rows = parsed.ok ? parsed.rows : [];
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4]);
    const back = rows.map(({ record }) => {
      const { input, errors } = recordToInput(record, mappingCsvFields);
      expect(errors).toEqual([]);
      return createMappingGatewaySchema.parse(input);
    });
    expect(back).toEqual(gateways.map(({ hasPassword: _hasPassword, ...config }) => config));
  });

  it("accepts the exported file with a password column added for import", () => {
    const csv = toCsv([gateways[1]], mappingCsvFields).replace("\n", ",password\n").replace(/\n$/, ",n3w-pass\n");
    const parsed = parseCsv(csv, mappingCsvFields, 100);
    const record = parsed.ok ? parsed.rows[0].record : {};
    expect(createMappingGatewaySchema.parse(recordToInput(record, mappingCsvFields).input)).toMatchObject({
      name: "alice",
      password: "n3w-pass",
    });
  });
});

describe("routing gateway CSV", () => {
  const gateways = [
    createRoutingGatewaySchema.parse({
      name: "Carrier A",
      address: "sip.carrier-a.example",
      port: 5080,
      transport: "tcp",
      prefixes: ["44", "+33"],
      prefixMode: "continue",
      priority: 3,
      capacity: 60,
      group: "gold",
      authUsername: "acct1",
      password: "s3cret",
      authRealm: "carrier-a.example",
      fromUser: "trunk1",
      fromDomain: "us.example",
      callerRewrite: { strip: 1, prefix: "+" },
      calleeRewrite: { strip: 0, prefix: "00" },
      failoverCodes: [503, 408],
      failoverOnAuthFailure: false,
      memo: 'primary; "EU"',
    }),
    createRoutingGatewaySchema.parse({ name: "carrier-b", address: "192.0.2.20" }),
    createRoutingGatewaySchema.parse({ name: "pbx-dyn", kind: "dynamic", authUsername: "pbx7", password: "dyn-pass" }),
  ].map(({ password: _password, ...config }) => ({ ...config, hasPassword: config.authUsername !== null }));

  it("has a failoverOnAuthFailure column, written true or false", () => {
    const lines = toCsv(gateways, routingCsvFields).trim().split("\n");
    const header = lines[0].split(",");
    const at = header.indexOf("failoverOnAuthFailure");
    expect(at).toBe(header.indexOf("failoverCodes") + 1);
    const cellsOf = (line: string) => {
      const parsed = parseCsv(`${lines[0]}\n${line}\n`, routingCsvFields, 10);
      return parsed.ok ? parsed.rows[0].record : {};
    };
    expect(cellsOf(lines[1]).failoverOnAuthFailure).toBe("false");
    expect(cellsOf(lines[2]).failoverOnAuthFailure).toBe("true");
  });

  it("gives back the same configuration for every gateway, failoverOnAuthFailure included", () => {
    const parsed = parseCsv(toCsv(gateways, routingCsvFields), routingCsvFields, 100);
    expect(parsed.ok).toBe(true);
    const back = (parsed.ok ? parsed.rows : []).map(({ record }) => {
      const { input, errors } = recordToInput(record, routingCsvFields);
      expect(errors).toEqual([]);
      return createRoutingGatewaySchema.parse(input);
    });
    expect(back).toEqual(gateways.map(({ hasPassword: _hasPassword, ...config }) => config));
    expect(back.map((g) => g.failoverOnAuthFailure)).toEqual([false, true, true]);
  });

  it.each([
    ["no", false],
    ["0", false],
    ["FALSE", false],
    ["yes", true],
    ["1", true],
    ["True", true],
  ])("reads failoverOnAuthFailure %j as %s", (cell, value) => {
    expect(recordToInput({ name: "c", failoverOnAuthFailure: cell }, routingCsvFields)).toEqual({
      input: { name: "c", failoverOnAuthFailure: value },
      errors: [],
    });
  });

  it("takes the default (true) when the cell is empty or the column is missing", () => {
    const records: Array<Record<string, string>> = [
      { name: "c", address: "192.0.2.1", failoverOnAuthFailure: "" },
      { name: "c", address: "192.0.2.1" },
    ];
    for (const record of records)
      expect(
        createRoutingGatewaySchema.parse(recordToInput(record, routingCsvFields).input).failoverOnAuthFailure,
      ).toBe(true);
  });

  it("names the column, the accepted words and the cell for a value that is not a yes/no", () => {
    expect(recordToInput({ name: "c", failoverOnAuthFailure: "sometimes" }, routingCsvFields).errors).toEqual([
      'failoverOnAuthFailure must be true or false (or yes/no, 1/0, on/off), not "sometimes"',
    ]);
  });
});

describe("parseCsv line numbers after blank lines", () => {
  it("reports a row where a spreadsheet shows it", () => {
    expect(rowsOf("name,memo\na,1\n\nb,2\n").map((r) => r.line)).toEqual([2, 4]);
  });
});
