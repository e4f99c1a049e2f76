import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { decryptSecret, encryptSecret } from "@/lib/server/secret-box";
import { configFileSchema, type ConfigFile, type SealedSecret } from "@/lib/domain/config-file";
import { createMappingGatewaySchema } from "@/lib/domain/mapping-gateway";
import { createRoutingGatewaySchema } from "@/lib/domain/routing-gateway";
import { parameterCatalog } from "@/lib/domain/parameter-catalog";
import { parseParameterValue } from "@/lib/domain/parameter-value";
import type { ConfigSource } from "@/lib/domain/config-source";
import type { ServiceResult } from "@/lib/server/http";

const KDF = { N: 32768, r: 8, p: 1 };

function keyFrom(passphrase: string, salt: Buffer, kdf = KDF): Buffer {
  return scryptSync(passphrase, salt, 32, { ...kdf, maxmem: 64 * 1024 * 1024 });
}

function seal(plain: string, key: Buffer): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return { iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") };
}

function open(sealed: SealedSecret, key: Buffer): string {
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(sealed.iv, "base64"));
  decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]).toString("utf8");
}

export function exportConfigFile(
  source: ConfigSource,
  version: number,
  secrets: "omit" | "encrypted",
  passphrase?: string,
): ConfigFile {
  const salt = randomBytes(16);
  const key = secrets === "encrypted" ? keyFrom(passphrase!, salt) : null;
  const password = (cipher: string | null) => (key && cipher ? seal(decryptSecret(cipher), key) : null);
  return {
    format: "softswitch-console-config",
    formatVersion: 1,
    exportedAt: new Date().toISOString(),
    sourceVersion: version,
    secrets,
    kdf: key ? { salt: salt.toString("base64"), ...KDF } : null,
    parameters: source.parameters,
    mappingGateways: source.mappingGateways.map(({ passwordCipher, version: _v, ...g }) => ({
      ...g,
      password: password(passwordCipher),
    })),
    routingGateways: source.routingGateways.map(({ passwordCipher, version: _v, ...g }) => ({
      ...g,
      password: password(passwordCipher),
    })),
  };
}

/** Ids and names are unique per kind (the tables' keys): a file that repeats one is refused, not half-restored. */
function duplicateIssues(
  kind: string,
  gateways: Array<{ id: string; name: string }>,
): Array<{ path: string; message: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  for (const field of ["id", "name"] as const) {
    const seen = new Set<string>();
    for (const g of gateways) {
      if (seen.has(g[field]))
        issues.push({ path: `${kind} ${g.name}`, message: `two ${kind}s have the ${field} "${g[field]}"` });
      seen.add(g[field]);
    }
  }
  return issues;
}

/** Validates a file as strictly as the API validates edits, and turns it into a source to restore. */
export function readConfigFile(input: unknown, passphrase: string | undefined): ServiceResult<ConfigSource> {
  const file = configFileSchema.safeParse(input);
  if (!file.success)
    return {
      ok: false,
      code: "validation",
      message: `Not a valid configuration file: ${file.error.issues[0].message}`,
    };
  const f = file.data;
  if (f.secrets === "encrypted" && !passphrase)
    return {
      ok: false,
      code: "validation",
      message: "This file's passwords are encrypted: give the passphrase it was exported with",
    };
  const key =
    f.secrets === "encrypted" && f.kdf ? keyFrom(passphrase!, Buffer.from(f.kdf.salt, "base64"), f.kdf) : null;
  const issues: Array<{ path: string; message: string }> = [];
  const parameters = { ...f.parameters };
  // A name the catalog does not know would be saved as an edit no screen shows and no discard removes.
  const known = new Set(parameterCatalog.map((d) => d.name));
  for (const name of Object.keys(parameters))
    if (!known.has(name)) issues.push({ path: `parameters.${name}`, message: `unknown parameter ${name}` });
  for (const def of parameterCatalog) {
    if (!(def.name in parameters)) {
      parameters[def.name] = def.default;
      continue;
    }
    const checked = parseParameterValue(def, parameters[def.name]);
    if (!checked.ok) issues.push({ path: `parameters.${def.name}`, message: checked.error });
  }
  const cipherOf = (sealed: SealedSecret | null | undefined, name: string): string | null => {
    if (!sealed || !key) return null;
    try {
      return encryptSecret(open(sealed, key));
    } catch {
      issues.push({ path: name, message: "the passphrase is wrong or the file was altered" });
      return null;
    }
  };
  const mappingGateways: ConfigSource["mappingGateways"] = [];
  for (const { id, password, ...raw } of f.mappingGateways) {
    const { version: _v, ...fields } = raw as Record<string, unknown>;
    const parsed = createMappingGatewaySchema.safeParse(fields);
    if (!parsed.success) issues.push({ path: `mapping gateway ${raw.name}`, message: parsed.error.issues[0].message });
    else
      mappingGateways.push({
        ...parsed.data,
        id,
        version: 1,
        passwordCipher: cipherOf(password, `mapping gateway ${raw.name}`),
      });
  }
  const routingGateways: ConfigSource["routingGateways"] = [];
  for (const { id, password, ...raw } of f.routingGateways) {
    const { version: _v, ...fields } = raw as Record<string, unknown>;
    const parsed = createRoutingGatewaySchema.safeParse(fields);
    if (!parsed.success) issues.push({ path: `routing gateway ${raw.name}`, message: parsed.error.issues[0].message });
    else
      routingGateways.push({
        ...parsed.data,
        id,
        version: 1,
        passwordCipher: cipherOf(password, `routing gateway ${raw.name}`),
      });
  }
  issues.push(
    ...duplicateIssues("mapping gateway", mappingGateways),
    ...duplicateIssues("routing gateway", routingGateways),
  );
  if (issues.length > 0)
    return {
      ok: false,
      code: "validation",
      message: `The file has ${issues.length} problem${issues.length > 1 ? "s" : ""}; nothing was imported (${issues[0].path}: ${issues[0].message}${issues.length > 1 ? ", …" : ""})`,
      issues,
    };
  return { ok: true, value: { parameters, mappingGateways, routingGateways } };
}

/**
 * An imported password is encrypted afresh, so its ciphertext always differs; where it is the same
 * password the gateway already has, keep the stored ciphertext so the diff does not call it changed.
 */
export function keepUnchangedSecrets(imported: ConfigSource, known: ConfigSource[]): ConfigSource {
  const existing = (list: "mappingGateways" | "routingGateways", id: string, cipher: string | null) => {
    if (cipher === null) return null;
    const plain = decryptSecret(cipher);
    for (const source of known) {
      const stored = source[list].find((g) => g.id === id)?.passwordCipher;
      if (stored && decryptSecret(stored) === plain) return stored;
    }
    return null;
  };
  return {
    ...imported,
    mappingGateways: imported.mappingGateways.map((g) => ({
      ...g,
      passwordCipher: existing("mappingGateways", g.id, g.passwordCipher) ?? g.passwordCipher,
    })),
    routingGateways: imported.routingGateways.map((g) => ({
      ...g,
      passwordCipher: existing("routingGateways", g.id, g.passwordCipher) ?? g.passwordCipher,
    })),
  };
}
