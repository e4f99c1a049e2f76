import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  canonicalIp,
  hostSchema,
  ipAddressSchema,
  nameSchema,
  portSchema,
  prefixSchema,
  rewriteRuleSchema,
  secretSchema,
} from "@/lib/domain/gateway-fields";

/** The messages an operator reads when `value` is refused, or [] when it is accepted. */
function messagesOf(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.message);
}

describe("canonicalIp", () => {
  it.each([
    ["192.0.2.1", "192.0.2.1"],
    ["  192.0.2.1  ", "192.0.2.1"],
    ["\t10.0.0.1\n", "10.0.0.1"],
    ["2001:db8::1", "2001:db8::1"],
    ["2001:DB8::1", "2001:db8::1"],
    ["2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["0:0:0:0:0:0:0:1", "::1"],
    ["::", "::"],
    ["  FE80::ABCD  ", "fe80::abcd"],
    // IPv4-mapped IPv6 is kept as IPv6, written in hex: it is not folded into the plain IPv4 form.
    ["::ffff:192.0.2.1", "192.0.2.1"],
    ["::FFFF:C000:0201", "192.0.2.1"],
  ])("%j becomes %j", (input, canonical) => {
    expect(canonicalIp(input)).toBe(canonical);
  });

  it("makes differently written forms of one address compare equal", () => {
    const forms = ["2001:DB8:0::1", "2001:db8::1", "2001:0db8:0:0:0:0:0:1", " 2001:db8:0000::0001 "];
    expect(new Set(forms.map(canonicalIp))).toEqual(new Set(["2001:db8::1"]));
  });

  it.each([
    "",
    "   ",
    "abc",
    "example.com",
    "1.2.3.256",
    "1.2.3",
    "1.2.3.4.5",
    "010.0.0.1",
    "2001:db8::1::2",
    "2001:db8::g",
    "fe80::1%eth0",
    "[2001:db8::1]",
    "192.0.2.1:5060",
  ])("%j is not an address (null, no exception)", (input) => {
    expect(canonicalIp(input)).toBeNull();
  });
});

describe("ipAddressSchema", () => {
  it("stores the canonical form", () => {
    expect(ipAddressSchema.parse(" 2001:DB8:0:0::1 ")).toBe("2001:db8::1");
    expect(ipAddressSchema.parse("192.0.2.10")).toBe("192.0.2.10");
  });

  it("refuses a host name with a message naming the input", () => {
    expect(messagesOf(ipAddressSchema, "sip.example.com")).toEqual([
      '"sip.example.com" is not an IPv4 or IPv6 address',
    ]);
    expect(messagesOf(ipAddressSchema, "300.1.1.1")).toEqual(['"300.1.1.1" is not an IPv4 or IPv6 address']);
  });
});

describe("hostSchema", () => {
  it("lower-cases host names", () => {
    expect(hostSchema.parse("SIP.Carrier.Example.COM")).toBe("sip.carrier.example.com");
    expect(hostSchema.parse("  Edge-1.example.net ")).toBe("edge-1.example.net");
    expect(hostSchema.parse("localhost")).toBe("localhost");
  });

  it("canonicalises IP addresses", () => {
    expect(hostSchema.parse("2001:DB8:0::5")).toBe("2001:db8::5");
    expect(hostSchema.parse(" 203.0.113.7 ")).toBe("203.0.113.7");
  });

  it("accepts a 253-character name made of 63-character labels", () => {
    const name = ["a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61)].join(".");
    expect(name).toHaveLength(253);
    expect(hostSchema.parse(name)).toBe(name);
  });

  it.each([
    "a..b",
    "-x.com",
    "x-.com",
    "exa mple.com",
    "under_score.com",
    "example.com.",
    ".example.com",
    `${"a".repeat(64)}.com`,
    ["a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(62)].join("."), // 254 characters
  ])("refuses %j with the host message", (input) => {
    expect(messagesOf(hostSchema, input)).toEqual([`"${input}" is not a host name or IP address`]);
  });

  it("refuses an empty address", () => {
    expect(messagesOf(hostSchema, "")).toEqual(['"" is not a host name or IP address']);
  });

  it("says an address is required when it is missing", () => {
    expect(messagesOf(hostSchema, undefined)).toEqual(["address is required"]);
  });
});

describe("portSchema", () => {
  const MESSAGE = "port must be a whole number from 1 to 65535";

  it.each([1, 5060, 65535])("accepts %d", (port) => {
    expect(portSchema.parse(port)).toBe(port);
  });

  it.each([0, -1, 65536, 1.5, Number.NaN])("refuses %d with the port message", (port) => {
    expect(messagesOf(portSchema, port)).toEqual([MESSAGE]);
  });

  it("refuses a port sent as text with the same message", () => {
    expect(messagesOf(portSchema, "5060")).toEqual([MESSAGE]);
  });
});

describe("prefixSchema", () => {
  it.each(["+44", "0044", "1", "  33  ", "+" + "9".repeat(32)])("accepts %j", (prefix) => {
    expect(prefixSchema.parse(prefix)).toBe(prefix.trim());
  });

  it.each(["12a", "", "+", "++44", "44+", "4 4", "9".repeat(33)])("refuses %j naming it in the message", (prefix) => {
    expect(messagesOf(prefixSchema, prefix)).toEqual([
      `prefix "${prefix}" must be digits, optionally with a leading +`,
    ]);
  });

  it("shows the exact message for 12a", () => {
    expect(messagesOf(prefixSchema, "12a")).toEqual(['prefix "12a" must be digits, optionally with a leading +']);
  });
});

describe("rewriteRuleSchema", () => {
  it("defaults to strip nothing and add nothing", () => {
    expect(rewriteRuleSchema.parse({})).toEqual({ strip: 0, prefix: "" });
  });

  it("keeps a given rule and trims the added prefix", () => {
    expect(rewriteRuleSchema.parse({ strip: 2, prefix: " +81 " })).toEqual({ strip: 2, prefix: "+81" });
    expect(rewriteRuleSchema.parse({ strip: 32 })).toEqual({ strip: 32, prefix: "" });
  });

  it.each([33, -1, 1.5])("refuses strip %d", (strip) => {
    expect(messagesOf(rewriteRuleSchema, { strip })).toEqual(["strip must be a whole number from 0 to 32"]);
  });

  it("refuses an added prefix that is not digits", () => {
    expect(messagesOf(rewriteRuleSchema, { prefix: "44x" })).toEqual([
      "the added prefix must be digits, optionally with a leading +",
    ]);
  });

  it("refuses unknown keys", () => {
    expect(rewriteRuleSchema.safeParse({ strip: 1, add: "44" }).success).toBe(false);
  });
});

describe("nameSchema", () => {
  it("trims and accepts letters, digits, spaces and . _ @ + -", () => {
    expect(nameSchema.parse("  Acme PBX_1.site@lon+2-b  ")).toBe("Acme PBX_1.site@lon+2-b");
    expect(nameSchema.parse("x".repeat(64))).toBe("x".repeat(64));
  });

  it("refuses a missing or empty name", () => {
    expect(messagesOf(nameSchema, undefined)).toEqual(["name is required"]);
    expect(messagesOf(nameSchema, "   ")).toContain("name is required");
  });

  it("refuses a name over 64 characters", () => {
    expect(messagesOf(nameSchema, "x".repeat(65))).toEqual(["name must be at most 64 characters"]);
  });

  it.each(["-acme", ".acme", "acme/pbx", "acme;pbx", "café"])("refuses %j", (name) => {
    expect(messagesOf(nameSchema, name)).toEqual([
      "name must start with a letter or digit and use letters, digits, spaces, . _ @ + -",
    ]);
  });
});

describe("secretSchema", () => {
  it("keeps a password exactly, spaces included", () => {
    expect(secretSchema.parse(" p@ss word ")).toBe(" p@ss word ");
    expect(secretSchema.parse("abcd")).toBe("abcd");
    expect(secretSchema.parse("x".repeat(128))).toHaveLength(128);
  });

  it("refuses passwords that are too short or too long", () => {
    expect(messagesOf(secretSchema, "abc")).toEqual(["password must be at least 4 characters"]);
    expect(messagesOf(secretSchema, "x".repeat(129))).toEqual(["password must be at most 128 characters"]);
  });

  it.each(["pässword", "pass\tword", "pass\nword"])("refuses non-printable or non-ASCII %j", (secret) => {
    expect(messagesOf(secretSchema, secret)).toEqual(["password must use printable ASCII characters only"]);
  });
});

describe("hostSchema and mistyped IPv4 addresses", () => {
  it.each(["1.2.3.256", "999.1.1.1", "192.168.1", "01.2.3.4"])("refuses %s", (input) => {
    const result = hostSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe(`"${input}" is not a host name or IP address`);
  });
  it("still accepts names with digits in earlier labels", () => {
    expect(hostSchema.parse("sip1.carrier9.example")).toBe("sip1.carrier9.example");
  });
});
