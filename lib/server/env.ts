import path from "node:path";
import { z } from "zod";

// The only place on the web side that reads process.env (DESIGN.md). prisma.config.ts
// shares the DATA_DIR / DATABASE_URL defaults.
const envSchema = z.object({
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z.string().min(1).optional(),
  SECRET_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, "SECRET_KEY must be 64 hexadecimal characters (32 bytes)")
    .optional(),
  SESSION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  // The engine: supervised by the console unless ENGINE_URL names engines started on their own.
  ENGINE_URL: z.string().optional(),
  ENGINE_TOKEN: z.string().min(32, "ENGINE_TOKEN must be at least 32 characters").optional(),
  ENGINE_CONTROL_PORT: z.coerce.number().int().min(1).max(65535).default(5065),
  CDR_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
});

export type Env = z.infer<typeof envSchema> & { dataDir: string; databaseUrl: string; engineUrls: string[] };

function readEnv(): Env {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const dataDir = path.resolve(parsed.data.DATA_DIR);
  return {
    ...parsed.data,
    dataDir,
    databaseUrl: parsed.data.DATABASE_URL ?? `file:${path.join(dataDir, "app.db")}`,
    engineUrls: (parsed.data.ENGINE_URL ?? "")
      .split(",")
      .map((u) => u.trim().replace(/\/$/, ""))
      .filter(Boolean),
  };
}

export const env = readEnv();
