import { describe, expect, it, vi } from "vitest";

// cdr-import.ts imports the Prisma client; keep the test from opening the console database.
vi.mock("@/lib/server/db", () => ({ db: {} }));

import { cdrRowOf } from "@/lib/server/cdr-import";
import { cdrAttemptsOf } from "@/lib/server/cdrs";
import { cdrSchema } from "@/lib/domain/cdr";

const journalRecord = {
  seq: 3,
  id: "rec-3",
  callerReceived: "1001",
  calleeReceived: "0044123",
  callerSent: "1001",
  calleeSent: "44123",
  mappingGatewayId: "m1",
  mappingGatewayName: "pbx",
  routingGatewayId: "r2",
  routingGatewayName: "carrier-b",
  sourceAddress: "192.0.2.10:5060",
  startedAt: Date.parse("2026-12-01T10:00:00.000Z"),
  answeredAt: null,
  endedAt: Date.parse("2026-12-01T10:00:05.000Z"),
  holdSeconds: 0,
  finalCode: 486,
  finalReason: "Busy Here",
  endedBy: "callee",
  challengesAnswered: 0,
  illegal: false,
  configVersion: 4,
  callId: "abc@pbx",
};

describe("cdrRowOf", () => {
  it("stores the carriers tried as JSON text that reads back the same", () => {
    const attempts = [
      { routingGatewayId: "r1", routingGatewayName: "carrier-a", code: 403, reason: "Forbidden", failedOver: true },
      { routingGatewayId: "r2", routingGatewayName: "carrier-b", code: 486, reason: "Busy Here", failedOver: false },
    ];
    const row = cdrRowOf("http://127.0.0.1:9", cdrSchema.parse({ ...journalRecord, attempts }));
    expect(row).toMatchObject({ key: "http://127.0.0.1:9#rec-3", seq: 3, finalCode: 486, answeredAt: null });
    expect(cdrAttemptsOf(row.attempts)).toEqual(attempts);
  });

  it('stores "[]" for a record the engine wrote before attempts existed', () => {
    expect(cdrRowOf("http://127.0.0.1:9", cdrSchema.parse(journalRecord)).attempts).toBe("[]");
  });
});
