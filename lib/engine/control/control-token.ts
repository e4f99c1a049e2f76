import { timingSafeEqual } from "node:crypto";
import { loadOrCreateSecret } from "@/lib/engine/secret-file";

/** The control API's bearer token: from configuration, or generated once into the data folder (0600). */
export function loadControlToken(dataDir: string, configured: string | undefined): string {
  return configured ?? loadOrCreateSecret(dataDir, "control-token");
}

export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1] ?? "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
