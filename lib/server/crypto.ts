import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** URL-safe random secret (session tokens, API tokens, setup codes). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

// scrypt is memory-hard: N=2^15, r=8 uses 32 MiB per hash (OWASP's interactive-login floor).
const SCRYPT = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } satisfies ScryptOptions;
const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Format: scrypt$N$r$p$salt$hash (base64url), so parameters can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT);
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  const options = { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem };
  // A corrupted or foreign stored hash is a wrong password, not a crash of sign-in.
  const sane =
    options.N >= 2 ** 14 &&
    options.N <= 2 ** 16 &&
    Number.isInteger(Math.log2(options.N)) &&
    options.r >= 1 &&
    options.r <= 16 &&
    options.p >= 1 &&
    options.p <= 4;
  if (scheme !== "scrypt" || !salt || !hash || !sane) return false;
  const key = await scryptAsync(password, Buffer.from(salt, "base64url"), options);
  const expected = Buffer.from(hash, "base64url");
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash to verify against when the user does not exist, so both paths cost the same. */
let dummyHash: Promise<string> | undefined;
export function passwordHashForUnknownUser(): Promise<string> {
  dummyHash ??= hashPassword(randomSecret());
  return dummyHash;
}
