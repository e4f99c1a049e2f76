import { beforeAll, describe, expect, it } from "vitest";
import { constantTimeEqual, hashPassword, verifyPassword } from "@/lib/server/crypto";

// scrypt costs 32 MiB and some CPU per hash, so hashes are computed once and shared.
const PASSWORD = "correct horse battery staple";
let first: string;
let second: string;

beforeAll(async () => {
  [first, second] = await Promise.all([hashPassword(PASSWORD), hashPassword(PASSWORD)]);
}, 30_000);

/** Flips one character of the last `$` field (the derived key) to another base64url character. */
function tamperKey(stored: string): string {
  const parts = stored.split("$");
  const key = parts[5];
  const swapped = key[0] === "A" ? "B" : "A";
  parts[5] = swapped + key.slice(1);
  return parts.join("$");
}

describe("hashPassword / verifyPassword", () => {
  it("stores scrypt with its parameters, a salt and a key", () => {
    expect(first.startsWith("scrypt$32768$8$1$")).toBe(true);
    const [, , , , salt, key] = first.split("$");
    expect(Buffer.from(salt, "base64url")).toHaveLength(16);
    expect(Buffer.from(key, "base64url")).toHaveLength(32);
    expect(first).not.toContain(PASSWORD);
  });

  it("verifies the right password", async () => {
    await expect(verifyPassword(PASSWORD, first)).resolves.toBe(true);
    await expect(verifyPassword(PASSWORD, second)).resolves.toBe(true);
  }, 30_000);

  it("refuses a wrong password, including near misses", async () => {
    await expect(verifyPassword("correct horse battery stapl", first)).resolves.toBe(false);
    await expect(verifyPassword("Correct horse battery staple", first)).resolves.toBe(false);
    await expect(verifyPassword("", first)).resolves.toBe(false);
  }, 30_000);

  it("salts: two hashes of the same password differ", () => {
    expect(first).not.toBe(second);
    expect(first.split("$")[4]).not.toBe(second.split("$")[4]);
  });

  it("refuses a tampered or truncated stored hash", async () => {
    await expect(verifyPassword(PASSWORD, tamperKey(first))).resolves.toBe(false);
    const parts = first.split("$");
    await expect(verifyPassword(PASSWORD, [...parts.slice(0, 5), parts[5].slice(0, 20)].join("$"))).resolves.toBe(
      false,
    );
    // Another hash's salt with this hash's key.
    await expect(
      verifyPassword(PASSWORD, [...parts.slice(0, 4), second.split("$")[4], parts[5]].join("$")),
    ).resolves.toBe(false);
  }, 30_000);

  it("refuses stored values that are not scrypt hashes", async () => {
    await expect(verifyPassword(PASSWORD, "")).resolves.toBe(false);
    await expect(verifyPassword(PASSWORD, PASSWORD)).resolves.toBe(false);
    await expect(verifyPassword(PASSWORD, first.replace(/^scrypt/, "bcrypt"))).resolves.toBe(false);
    await expect(verifyPassword(PASSWORD, "scrypt$32768$8$1$")).resolves.toBe(false);
  });
});

describe("constantTimeEqual", () => {
  it("is true for equal strings", () => {
    expect(constantTimeEqual("abc123", "abc123")).toBe(true);
    expect(constantTimeEqual("", "")).toBe(true);
  });

  it("is false for unequal strings of the same length", () => {
    expect(constantTimeEqual("abc123", "abc124")).toBe(false);
    expect(constantTimeEqual("abc123", "ABC123")).toBe(false);
  });

  it("is false (and does not throw) for strings of different lengths", () => {
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
    expect(constantTimeEqual("abcd", "")).toBe(false);
    // Same number of characters, different number of UTF-8 bytes.
    expect(constantTimeEqual("é", "e")).toBe(false);
  });
});

describe("verifyPassword with a corrupted stored hash", () => {
  it.each([
    "scrypt$abc$8$1$AAAA$BBBB",
    "scrypt$3$8$1$AAAA$BBBB",
    "scrypt$1048576$8$1$AAAA$BBBB",
    "scrypt$32768$0$1$AAAA$BBBB",
  ])("refuses %s instead of throwing", async (stored) => {
    await expect(verifyPassword("x", stored)).resolves.toBe(false);
  });
});
