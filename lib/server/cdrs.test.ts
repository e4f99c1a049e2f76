import { describe, expect, it, vi } from "vitest";

// cdrs.ts imports the Prisma client; keep the test from opening the console database.
vi.mock("@/lib/server/db", () => ({ db: {} }));

import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import type { Cdr as CdrRow } from "@/generated/prisma/client";
import { cdrAttemptsOf, cdrCsvCells, toCdrView } from "@/lib/server/cdrs";

const row = (over: Partial<CdrRow> = {}): CdrRow => ({
  key: "http://127.0.0.1:1#c1",
  engine: "http://127.0.0.1:1",
  seq: 7,
  callerReceived: "1001",
  calleeReceived: "0044123",
  callerSent: "1001",
  calleeSent: "44123",
  mappingGatewayId: "m1",
  mappingGatewayName: "pbx",
  routingGatewayId: "r2",
  routingGatewayName: "carrier-b",
  sourceAddress: "192.0.2.10:5060",
  startedAt: new Date("2026-12-01T10:00:00.000Z"),
  answeredAt: new Date("2026-12-01T10:00:02.000Z"),
  endedAt: new Date("2026-12-01T10:01:02.000Z"),
  holdSeconds: 60,
  finalCode: 200,
  finalReason: "OK",
  endedBy: "caller",
  challengesAnswered: 1,
  illegal: false,
  configVersion: 4,
  callId: "abc@pbx",
  attempts: JSON.stringify([
    {
      routingGatewayId: "r1",
      routingGatewayName: "carrier-a",
      code: 503,
      reason: "Service Unavailable",
      failedOver: true,
    },
    { routingGatewayId: "r2", routingGatewayName: "carrier-b", code: 200, reason: "OK", failedOver: false },
  ]),
  ...over,
});

describe("toCdrView", () => {
  it("returns the carriers tried as a list, without the storage key", () => {
    const view = toCdrView(row());
    expect(view).not.toHaveProperty("key");
    expect(view.attempts).toEqual([
      {
        routingGatewayId: "r1",
        routingGatewayName: "carrier-a",
        code: 503,
        reason: "Service Unavailable",
        failedOver: true,
      },
      { routingGatewayId: "r2", routingGatewayName: "carrier-b", code: 200, reason: "OK", failedOver: false },
    ]);
  });

  it("gives records imported before attempts existed an empty list", () => {
    expect(toCdrView(row({ attempts: "[]" })).attempts).toEqual([]);
    expect(cdrAttemptsOf("not json")).toEqual([]);
    expect(cdrAttemptsOf("{}")).toEqual([]);
  });
});

describe("cdrCsvCells", () => {
  it("writes the carriers tried as one cell, after the Call-ID", () => {
    const cells = cdrCsvCells(toCdrView(row()));
    expect(cells.slice(-2)).toEqual(["abc@pbx", "carrier-a 503 Service Unavailable → carrier-b 200 OK"]);
    expect(cells.slice(0, 4)).toEqual([
      "2026-12-01T10:00:00.000Z",
      "2026-12-01T10:00:02.000Z",
      "2026-12-01T10:01:02.000Z",
      "60",
    ]);
    // One cell in a real CSV line, read back whole.
    expect((parse(stringify([cells])) as string[][])[0]).toEqual(cells);
  });

  it("leaves the cell empty when no carrier was tried, and null values as empty cells", () => {
    const cells = cdrCsvCells(toCdrView(row({ attempts: "[]", answeredAt: null, routingGatewayName: null })));
    expect(cells.at(-1)).toBe("");
    expect(cells[1]).toBe("");
  });
});
