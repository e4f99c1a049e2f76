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

export const configFileSchema = z.object({
  format: z.literal("softswitch-console-config", { error: "this is not a Softswitch Console configuration file" }),
  formatVersion: z.literal(1, { error: "this configuration file format version is not supported" }),
  exportedAt: z.string(),
  sourceVersion: z.number().int(),
  secrets: z.enum(["omit", "encrypted"]),
  kdf: z.object({ salt: z.string(), N: z.number().int(), r: z.number().int(), p: z.number().int() }).nullable(),
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
