import path from "node:path";
import { z } from "zod";

// The only place in the engine that reads process.env (DESIGN.md). DATA_DIR has the console's
// default, so that one `npm start` puts both under ./data.

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const engineEnvSchema = z.object({
  DATA_DIR: z.string().min(1).default("./data"),
  ENGINE_DATA_DIR: z.string().min(1).optional(),
  ENGINE_SIP_HOST: z.string().min(1).default("0.0.0.0"),
  ENGINE_SIP_PORT: port(5060),
  ENGINE_CONTROL_HOST: z.string().min(1).default("127.0.0.1"),
  ENGINE_CONTROL_PORT: port(5065),
  ENGINE_TOKEN: z.string().min(32, "ENGINE_TOKEN must be at least 32 characters").optional(),
  ENGINE_TRACE_CAPACITY: z.coerce.number().int().min(100).max(1_000_000).default(20_000),
  ENGINE_CARRIER_PROBE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
});

export type EngineConfig = {
  dataDir: string;
  sipHost: string;
  sipPort: number;
  controlHost: string;
  controlPort: number;
  token: string | undefined;
  traceCapacity: number;
  /** OPTIONS probes to static carriers every this many seconds; 0 = none. */
  carrierProbeSeconds: number;
};

export function readEngineConfig(env: NodeJS.ProcessEnv = process.env): EngineConfig {
  const parsed = engineEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `Invalid engine environment:\n${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n")}`,
    );
  }
  const e = parsed.data;
  return {
    dataDir: path.resolve(e.ENGINE_DATA_DIR ?? path.join(e.DATA_DIR, "engine")),
    sipHost: e.ENGINE_SIP_HOST,
    sipPort: e.ENGINE_SIP_PORT,
    controlHost: e.ENGINE_CONTROL_HOST,
    controlPort: e.ENGINE_CONTROL_PORT,
    token: e.ENGINE_TOKEN,
    traceCapacity: e.ENGINE_TRACE_CAPACITY,
    carrierProbeSeconds: e.ENGINE_CARRIER_PROBE_SECONDS,
  };
}
