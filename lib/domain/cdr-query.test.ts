import { describe, expect, it } from "vitest";
import { describeCdrAttempt, formatCdrAttempts } from "@/lib/domain/cdr-query";
import type { CdrAttempt } from "@/lib/domain/cdr";

const attempt = (name: string, code: number, reason: string, failedOver: boolean): CdrAttempt => ({
  routingGatewayId: `id-${name}`,
  routingGatewayName: name,
  code,
  reason,
  failedOver,
});

describe("formatCdrAttempts", () => {
  it("lists every carrier tried, in order, with its code and reason", () => {
    expect(
      formatCdrAttempts([
        attempt("carrier-a", 503, "Service Unavailable", true),
        attempt("carrier-b", 408, "Request Timeout", true),
        attempt("carrier-c", 200, "OK", false),
      ]),
    ).toBe("carrier-a 503 Service Unavailable → carrier-b 408 Request Timeout → carrier-c 200 OK");
  });

  it("is one attempt alone, and empty when no carrier was tried", () => {
    expect(formatCdrAttempts([attempt("carrier-a", 486, "Busy Here", false)])).toBe("carrier-a 486 Busy Here");
    expect(formatCdrAttempts([])).toBe("");
  });

  it("leaves no trailing space when a carrier gave no reason phrase", () => {
    expect(describeCdrAttempt(attempt("carrier-a", 503, "", true))).toBe("carrier-a 503");
  });
});
