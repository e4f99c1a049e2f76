import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/server/env";

// Gateway passwords at rest: AES-256-GCM (authenticated), key from SECRET_KEY or from
// $DATA_DIR/secret.key, generated once with mode 0600. Losing the key loses the passwords.

const VERSION = "v1";
let cachedKey: Buffer | undefined;

function loadKey(): Buffer {
  if (cachedKey) return cachedKey;
  if (env.SECRET_KEY) {
    cachedKey = Buffer.from(env.SECRET_KEY, "hex");
    return cachedKey;
  }
  const file = path.join(env.dataDir, "secret.key");
  if (!existsSync(file)) {
    mkdirSync(env.dataDir, { recursive: true, mode: 0o700 });
    // "wx": never overwrite a key another process wrote a moment ago.
    try {
      writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  cachedKey = Buffer.from(readFileSync(file, "utf8").trim(), "hex");
  if (cachedKey.length !== 32) throw new Error(`${file} must hold 64 hexadecimal characters`);
  return cachedKey;
}

export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", loadKey(), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
}

export function decryptSecret(sealed: string): string {
  const [version, data] = sealed.split(":");
  if (version !== VERSION || !data) throw new Error("unknown secret format");
  const raw = Buffer.from(data, "base64");
  const decipher = createDecipheriv("aes-256-gcm", loadKey(), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}
