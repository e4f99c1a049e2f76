import { z } from "zod";

// A configuration saved to a file (backup, or moving it to another switch). Passwords are left out
// or encrypted with a passphrase the operator chooses (never with a switch's own key).

export const exportSnapshotSchema = z
  .strictObject({
    secrets: z.enum(["omit", "encrypted"], { error: "secrets must be omit or encrypted" }),
    passphrase: z.string().min(12, "the passphrase must be at least 12 characters").max(200).optional(),
  })
  .refine((v) => v.secrets === "omit" || v.passphrase !== undefined, {
    path: ["passphrase"],
    message: "a passphrase is required to encrypt the passwords",
  });

const sealedSecret = z.object({ iv: z.string(), tag: z.string(), data: z.string() });

/**
 * The scrypt parameters of an encrypted file, bounded by what the console itself writes (N 2^15,
 * r 8, p 1): a hostile file cannot make the import derive a key for minutes or run out of memory,
 * and is refused before any derivation runs (issue 19, finding 5).
 */
const kdfSchema = z.object({
  salt: z.string().max(100, "the file's key derivation salt is too long"),
  N: z
    .number()
    .int()
    .min(2, "the file's key derivation cost N is not supported")
    .max(32768, "the file's key derivation cost N is larger than this console writes (32768)")
    .refine((n) => (n & (n - 1)) === 0, "the file's key derivation cost N must be a power of two"),
  r: z.number().int().min(1).max(8, "the file's key derivation block size r is larger than this console writes (8)"),
  p: z.number().int().min(1).max(1, "the file's key derivation parallelism p is larger than this console writes (1)"),
});

export const configFileSchema = z.object({
  format: z.literal("softswitch-console-config", { error: "this is not a Softswitch Console configuration file" }),
  formatVersion: z.literal(1, { error: "this configuration file format version is not supported" }),
  exportedAt: z.string(),
  sourceVersion: z.number().int(),
  secrets: z.enum(["omit", "encrypted"]),
  kdf: kdfSchema.nullable(),
  parameters: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  mappingGateways: z.array(
    z
      .record(z.string(), z.unknown())
      .and(z.object({ id: z.string(), name: z.string(), password: sealedSecret.nullable().optional() })),
  ),
  routingGateways: z.array(
    z
      .record(z.string(), z.unknown())
      .and(z.object({ id: z.string(), name: z.string(), password: sealedSecret.nullable().optional() })),
  ),
});
export type ConfigFile = z.infer<typeof configFileSchema>;
export type SealedSecret = z.infer<typeof sealedSecret>;

export const importConfigSchema = z.strictObject({
  file: z.unknown().refine((v) => v !== undefined, "file is required"),
  passphrase: z.string().max(200).optional(),
});
