import { describe, expect, it, vi } from "vitest";

// maskSecrets is pure; keep the test from opening the console database.
vi.mock("@/lib/server/db", () => ({ db: {} }));

import { maskSecrets } from "@/lib/server/audit";

const MASK = "••••••";

describe("maskSecrets", () => {
  it.each(["password", "secret", "token", "passwordHash", "ha1", "Password", "apiToken", "clientSecret", "tokenHash"])(
    "masks a %s field",
    (key) => {
      expect(maskSecrets({ [key]: "hunter2", name: "alice" })).toEqual({ [key]: MASK, name: "alice" });
    },
  );

  it("masks secrets at any depth and inside arrays", () => {
    const before = {
      gateway: { name: "carrier-a", auth: { username: "u1", password: "p1", ha1: "0123abcd" } },
      accounts: [
        { username: "a", password: "pa" },
        { username: "b", secret: "sb", nested: [{ token: "tb" }] },
      ],
    };
    expect(maskSecrets(before)).toEqual({
      gateway: { name: "carrier-a", auth: { username: "u1", password: MASK, ha1: MASK } },
      accounts: [
        { username: "a", password: MASK },
        { username: "b", secret: MASK, nested: [{ token: MASK }] },
      ],
    });
  });

  it("does not leave the secret anywhere in the stored JSON", () => {
    const stored = JSON.stringify(
      maskSecrets({
        after: { id: "1", role: "admin", password: "s3cr3t-value", passwordHash: "scrypt$32768$8$1$x$y" },
      }),
    );
    expect(stored).not.toContain("s3cr3t-value");
    expect(stored).not.toContain("scrypt$");
    expect(stored).toContain("admin");
  });

  it("masks non-string secret values too", () => {
    expect(maskSecrets({ token: 12345, secret: { value: "x" } })).toEqual({ token: MASK, secret: MASK });
  });

  it("keeps other keys and their values exactly", () => {
    const view = {
      id: "op_1",
      username: "alice",
      role: "operator",
      disabled: false,
      version: 3,
      createdAt: "2026-01-01T00:00:00.000Z",
      tags: ["a", "b"],
      meta: { count: 0, note: null },
    };
    expect(maskSecrets(view)).toEqual(view);
  });

  it("leaves empty, null and missing secrets as they are, so the log shows none was set", () => {
    expect(maskSecrets({ password: "", secret: null, token: undefined })).toEqual({
      password: "",
      secret: null,
      token: undefined,
    });
  });

  it("passes scalars and arrays of scalars through", () => {
    expect(maskSecrets("password")).toBe("password");
    expect(maskSecrets(42)).toBe(42);
    expect(maskSecrets(null)).toBeNull();
    expect(maskSecrets(undefined)).toBeUndefined();
    expect(maskSecrets([1, "two", true])).toEqual([1, "two", true]);
  });

  it("keeps a snapshot export's mode readable under the key the export route uses (issue 19)", () => {
    // Under "secrets" the mode itself was masked: the log could not say whether passwords left.
    expect(maskSecrets({ secrets: "encrypted" })).toEqual({ secrets: MASK });
    expect(maskSecrets({ version: 3, mode: "encrypted" })).toEqual({ version: 3, mode: "encrypted" });
  });

  it("does not change its input", () => {
    const input = { password: "p", nested: { token: "t" } };
    maskSecrets(input);
    expect(input).toEqual({ password: "p", nested: { token: "t" } });
  });
});
