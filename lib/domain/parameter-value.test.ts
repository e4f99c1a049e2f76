import { describe, expect, it } from "vitest";
import {
  defaultParameterValues,
  findParameter,
  parameterCatalog,
  type ParameterDefinition,
} from "@/lib/domain/parameter-catalog";
import { formatParameterValue, parseParameterValue } from "@/lib/domain/parameter-value";

function param(name: string): ParameterDefinition {
  const def = findParameter(name);
  if (!def) throw new Error(`${name} is not in the catalog`);
  return def;
}

function expectAccepted(def: ParameterDefinition, input: unknown) {
  const result = parseParameterValue(def, input);
  expect(result, `${def.name} should accept ${JSON.stringify(input)}`).toEqual({ ok: true, value: input });
}

function expectRejected(def: ParameterDefinition, input: unknown) {
  const result = parseParameterValue(def, input);
  expect(result.ok, `${def.name} should reject ${String(input)} (${typeof input})`).toBe(false);
  if (!result.ok) {
    // The operator reads this message: it names the parameter.
    expect(result.error).toMatch(new RegExp(`^${def.name} must be `));
  }
}

describe("parseParameterValue over the whole catalog", () => {
  describe.each(parameterCatalog.map((def) => [def.name, def] as const))("%s", (_name, def) => {
    it("accepts its own default", () => {
      expectAccepted(def, def.default);
    });

    it("rejects null and undefined", () => {
      expectRejected(def, null);
      expectRejected(def, undefined);
    });

    if (def.type === "integer" || def.type === "duration") {
      it(`accepts the bounds ${def.min} and ${def.max}`, () => {
        expectAccepted(def, def.min);
        expectAccepted(def, def.max);
      });

      it("rejects min-1, max+1, fractions, numeric strings, booleans and NaN", () => {
        expectRejected(def, def.min - 1);
        expectRejected(def, def.max + 1);
        expectRejected(def, 1.5);
        expectRejected(def, def.min + 0.5);
        expectRejected(def, "5");
        expectRejected(def, String(def.default));
        expectRejected(def, true);
        expectRejected(def, Number.NaN);
        expectRejected(def, Number.POSITIVE_INFINITY);
      });

      it("names the range (and seconds for durations) in its message", () => {
        const result = parseParameterValue(def, def.max + 1);
        const unit = def.type === "duration" ? " seconds" : "";
        expect(result).toEqual({
          ok: false,
          error: `${def.name} must be a whole number from ${def.min} to ${def.max}${unit}`,
        });
      });
    }

    if (def.type === "boolean") {
      it("accepts true and false", () => {
        expectAccepted(def, true);
        expectAccepted(def, false);
      });

      it('rejects "true", "false", 1 and 0', () => {
        expectRejected(def, "true");
        expectRejected(def, "false");
        expectRejected(def, 1);
        expectRejected(def, 0);
      });

      it("says true (On) or false (Off)", () => {
        expect(parseParameterValue(def, "true")).toEqual({
          ok: false,
          error: `${def.name} must be true (On) or false (Off)`,
        });
      });
    }

    if (def.type === "enum") {
      it("accepts every listed value", () => {
        for (const { value } of def.values) expectAccepted(def, value);
      });

      it("rejects values not in the list, and listed values of the wrong type", () => {
        expectRejected(def, 0);
        expectRejected(def, 4);
        expectRejected(def, "not-a-value");
        expectRejected(def, true);
        for (const { value } of def.values) {
          // "2" is not 2, and a string value is not accepted as a number either.
          expectRejected(def, typeof value === "number" ? String(value) : Number(value));
        }
      });

      it("has a unique, labelled list of values containing the default", () => {
        const values = def.values.map((v) => v.value);
        expect(new Set(values).size).toBe(values.length);
        expect(values).toContain(def.default);
        for (const v of def.values) expect(v.label.trim()).not.toBe("");
      });
    }

    if (def.type === "string") {
      it("rejects numbers, booleans and text that does not fit the pattern", () => {
        expectRejected(def, 5);
        expectRejected(def, true);
        // An empty default means "none" (a list), so empty is then a valid value
        if (def.default !== "") expectRejected(def, "");
        expectRejected(def, "not a valid value!");
      });

      it("explains the expected shape", () => {
        expect(parseParameterValue(def, 5)).toEqual({ ok: false, error: `${def.name} must be ${def.patternHint}` });
      });
    }
  });
});

describe("parseParameterValue messages an operator reads", () => {
  it("lists the three challenge modes", () => {
    const def = param("SS_AUTHCHALLENGEMODE");
    expect(parseParameterValue(def, 4)).toEqual({ ok: false, error: "SS_AUTHCHALLENGEMODE must be 1, 2 or 3" });
    expect(parseParameterValue(def, "2")).toEqual({ ok: false, error: "SS_AUTHCHALLENGEMODE must be 1, 2 or 3" });
  });

  it("gives the retry range", () => {
    expect(parseParameterValue(param("SS_AUTHENTICATION_MAX_RETRY"), 1000)).toEqual({
      ok: false,
      error: "SS_AUTHENTICATION_MAX_RETRY must be a whole number from 0 to 999",
    });
  });

  it("quotes string enum values", () => {
    expect(parseParameterValue(param("SS_DIGEST_ALGORITHMS"), "SHA-1")).toEqual({
      ok: false,
      error: 'SS_DIGEST_ALGORITHMS must be "MD5", "MD5,SHA-256" or "SHA-256,MD5"',
    });
  });

  it("accepts a real domain for SS_SIP_DOMAIN and refuses a bad one", () => {
    const def = param("SS_SIP_DOMAIN");
    expectAccepted(def, "sip.example.com");
    expectRejected(def, "-bad-.example.com");
    expectRejected(def, "sip example.com");
  });
});

describe("parameter catalog promises", () => {
  it("has unique names, a non-empty description for every entry, and a default for each in defaultParameterValues", () => {
    const names = parameterCatalog.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const def of parameterCatalog) {
      expect(def.description.trim(), `${def.name} description`).not.toBe("");
      expect(findParameter(def.name)).toBe(def);
    }
    expect(Object.keys(defaultParameterValues()).sort()).toEqual([...names].sort());
  });

  it("does not find unknown names", () => {
    expect(findParameter("SS_NOT_A_PARAMETER")).toBeUndefined();
  });

  it("SS_AUTHCHALLENGEMODE defaults to 2 with modes 1, 2, 3", () => {
    const def = param("SS_AUTHCHALLENGEMODE");
    expect(def.type).toBe("enum");
    expect(def.default).toBe(2);
    if (def.type === "enum") expect(def.values.map((v) => v.value)).toEqual([1, 2, 3]);
  });

  it.each([
    ["SS_AUTHENTICATION_MAX_RETRY", 6, 0, 999],
    ["SS_AUTHENTICATION_FAILED_SUSPEND", 180, 60, 3600],
    ["SS_NONCE_LIFETIME", 300, 10, 3600],
    ["SS_SIP_SESSION_TTL", 0, 0, 86400],
    ["SS_SIP_MIN_SE", 90, 90, 86400],
  ] as const)("%s defaults to %i in %i–%i", (name, dflt, min, max) => {
    const def = param(name);
    expect(def.default).toBe(dflt);
    expect(def).toMatchObject({ min, max });
  });

  it.each([
    ["SS_ENDPOINT_EXPIRE", 3600],
    ["SS_ENDPOINTTIMETOLIVE", 60],
    ["SS_SIP_SESSION_TTL", 0],
    ["SS_SIP_ALLOW_REFER", false],
    ["SS_REPLY_UNAUTHORIZED", true],
    ["SS_ENDPOINT_REGISTER_REPLACE", true],
    ["SS_DIGEST_ALGORITHMS", "MD5"],
  ] as const)("%s defaults to %s", (name, dflt) => {
    expect(param(name).default).toBe(dflt);
    expect(defaultParameterValues()[name]).toBe(dflt);
  });
});

describe("formatParameterValue", () => {
  it("shows booleans as On/Off", () => {
    const def = param("SS_REPLY_UNAUTHORIZED");
    expect(formatParameterValue(def, true)).toBe("On");
    expect(formatParameterValue(def, false)).toBe("Off");
  });

  it("shows durations in seconds", () => {
    expect(formatParameterValue(param("SS_NONCE_LIFETIME"), 300)).toBe("300 s");
    expect(formatParameterValue(param("SS_ENDPOINTTIMETOLIVE"), 0)).toBe("0 s");
  });

  it("shows integers, enums and strings as they are", () => {
    expect(formatParameterValue(param("SS_AUTHENTICATION_MAX_RETRY"), 6)).toBe("6");
    expect(formatParameterValue(param("SS_AUTHCHALLENGEMODE"), 3)).toBe("3");
    expect(formatParameterValue(param("SS_DIGEST_ALGORITHMS"), "SHA-256,MD5")).toBe("SHA-256,MD5");
    expect(formatParameterValue(param("SS_SIP_DOMAIN"), "sip.example.com")).toBe("sip.example.com");
  });

  it("takes a comma-separated address list for SS_AUTH_SUSPEND_ALLOWLIST and names the bad entry", () => {
    const def = param("SS_AUTH_SUSPEND_ALLOWLIST");
    expectAccepted(def, "");
    expectAccepted(def, "192.0.2.10,2001:db8::1");
    expect(parseParameterValue(def, "192.0.2.10,1.2.3")).toEqual({
      ok: false,
      error: 'SS_AUTH_SUSPEND_ALLOWLIST: "1.2.3" is not an IPv4 or IPv6 address',
    });
    expectRejected(def, "192.0.2.10, 192.0.2.11");
  });
});
