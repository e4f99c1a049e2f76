import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// env.ts reads process.env once, when it is imported, and secret-box caches the key:
// each test sets the environment, then imports a fresh copy of both.
type SecretBox = typeof import("@/lib/server/secret-box");

const saved = { DATA_DIR: process.env.DATA_DIR, SECRET_KEY: process.env.SECRET_KEY };
const folders: string[] = [];

function freshDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "secret-box-"));
  folders.push(dir);
  return dir;
}

async function loadSecretBox(env: { DATA_DIR: string; SECRET_KEY?: string }): Promise<SecretBox> {
  process.env.DATA_DIR = env.DATA_DIR;
  if (env.SECRET_KEY === undefined) delete process.env.SECRET_KEY;
  else process.env.SECRET_KEY = env.SECRET_KEY;
  vi.resetModules();
  return import("@/lib/server/secret-box");
}

/** Flips one bit of the byte at `offset` inside the base64 payload. */
function flipByte(sealed: string, offset: number): string {
  const raw = Buffer.from(sealed.slice("v1:".length), "base64");
  raw[offset] ^= 0x01;
  return `v1:${raw.toString("base64")}`;
}

function restore(name: "DATA_DIR" | "SECRET_KEY") {
  if (saved[name] === undefined) delete process.env[name];
  else process.env[name] = saved[name];
}

beforeEach(() => vi.resetModules());
afterEach(() => {
  restore("DATA_DIR");
  restore("SECRET_KEY");
});
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe("secret-box with a key file in DATA_DIR", () => {
  it("round-trips a password and never stores it in clear", async () => {
    const box = await loadSecretBox({ DATA_DIR: freshDataDir() });
    const sealed = box.encryptSecret("carrier-p@ss word");
    expect(sealed.startsWith("v1:")).toBe(true);
    expect(sealed).not.toContain("carrier-p@ss");
    expect(box.decryptSecret(sealed)).toBe("carrier-p@ss word");
  });

  it("round-trips non-ASCII and empty text", async () => {
    const box = await loadSecretBox({ DATA_DIR: freshDataDir() });
    expect(box.decryptSecret(box.encryptSecret("pässwörd ☎"))).toBe("pässwörd ☎");
    expect(box.decryptSecret(box.encryptSecret(""))).toBe("");
  });

  it("seals the same password differently each time (random IV)", async () => {
    const box = await loadSecretBox({ DATA_DIR: freshDataDir() });
    const a = box.encryptSecret("same");
    const b = box.encryptSecret("same");
    expect(a).not.toBe(b);
    expect(box.decryptSecret(a)).toBe("same");
    expect(box.decryptSecret(b)).toBe("same");
  });

  it("generates secret.key once, readable by the owner only, with 64 hex characters", async () => {
    const dir = freshDataDir();
    const box = await loadSecretBox({ DATA_DIR: dir });
    box.encryptSecret("x");
    const file = path.join(dir, "secret.key");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toMatch(/^[0-9a-f]{64}$/);
  });

  it("creates DATA_DIR when it does not exist yet", async () => {
    const dir = path.join(freshDataDir(), "nested", "data");
    const box = await loadSecretBox({ DATA_DIR: dir });
    expect(box.decryptSecret(box.encryptSecret("x"))).toBe("x");
    expect(readFileSync(path.join(dir, "secret.key"), "utf8")).toMatch(/^[0-9a-f]{64}$/);
  });

  it("reuses the key file after a restart, so stored passwords stay readable", async () => {
    const dir = freshDataDir();
    const sealed = (await loadSecretBox({ DATA_DIR: dir })).encryptSecret("survives restart");
    const key = readFileSync(path.join(dir, "secret.key"), "utf8");
    const restarted = await loadSecretBox({ DATA_DIR: dir });
    expect(restarted.decryptSecret(sealed)).toBe("survives restart");
    expect(readFileSync(path.join(dir, "secret.key"), "utf8")).toBe(key);
  });

  it("refuses a key file that does not hold 64 hex characters", async () => {
    const dir = freshDataDir();
    const file = path.join(dir, "secret.key");
    writeFileSync(file, "abcd\n");
    const box = await loadSecretBox({ DATA_DIR: dir });
    expect(() => box.encryptSecret("x")).toThrow(`${file} must hold 64 hexadecimal characters`);
  });

  it("cannot read a password sealed with another installation's key", async () => {
    const sealed = (await loadSecretBox({ DATA_DIR: freshDataDir() })).encryptSecret("other site");
    const other = await loadSecretBox({ DATA_DIR: freshDataDir() });
    expect(() => other.decryptSecret(sealed)).toThrow();
  });
});

describe("secret-box tamper detection", () => {
  it.each([
    ["the IV", 0],
    ["the auth tag", 12],
    ["the ciphertext", 28],
  ])("refuses a sealed value whose %s was changed", async (_part, offset) => {
    const box = await loadSecretBox({ DATA_DIR: freshDataDir() });
    const sealed = box.encryptSecret("do not touch");
    expect(() => box.decryptSecret(flipByte(sealed, offset))).toThrow();
  });

  it("refuses a truncated value", async () => {
    const box = await loadSecretBox({ DATA_DIR: freshDataDir() });
    const raw = Buffer.from(box.encryptSecret("do not touch").slice(3), "base64");
    expect(() => box.decryptSecret(`v1:${raw.subarray(0, raw.length - 1).toString("base64")}`)).toThrow();
  });

  it.each(["v2:AAAA", "v1:", "v1", "plain text password", ""])("refuses %j as an unknown format", async (sealed) => {
    const box = await loadSecretBox({ DATA_DIR: freshDataDir() });
    expect(() => box.decryptSecret(sealed)).toThrow("unknown secret format");
  });
});

describe("secret-box with SECRET_KEY", () => {
  const KEY_A = "0123456789abcdef".repeat(4);
  const KEY_B = "fedcba9876543210".repeat(4);

  it("uses SECRET_KEY and writes no key file", async () => {
    const dir = freshDataDir();
    const box = await loadSecretBox({ DATA_DIR: dir, SECRET_KEY: KEY_A });
    expect(box.decryptSecret(box.encryptSecret("from env"))).toBe("from env");
    expect(() => statSync(path.join(dir, "secret.key"))).toThrow();
  });

  it("decrypts across restarts with the same SECRET_KEY, and not with another", async () => {
    const sealed = (await loadSecretBox({ DATA_DIR: freshDataDir(), SECRET_KEY: KEY_A })).encryptSecret("shared");
    expect((await loadSecretBox({ DATA_DIR: freshDataDir(), SECRET_KEY: KEY_A })).decryptSecret(sealed)).toBe("shared");
    const other = await loadSecretBox({ DATA_DIR: freshDataDir(), SECRET_KEY: KEY_B });
    expect(() => other.decryptSecret(sealed)).toThrow();
  });

  it("refuses to start with a SECRET_KEY that is not 64 hex characters", async () => {
    await expect(loadSecretBox({ DATA_DIR: freshDataDir(), SECRET_KEY: "short" })).rejects.toThrow(
      "SECRET_KEY must be 64 hexadecimal characters (32 bytes)",
    );
  });
});
