import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export type EngineProcess = {
  sipPort: number;
  controlPort: number;
  token: string;
  dataDir: string;
  pid: number;
  log(): string;
  /** The engine's counters (GET /v1/status). */
  counters(): Promise<Record<string, number>>;
  control(pathname: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

/** Starts the bundled engine (dist/engine.mjs) on free ports with a data folder of its own. */
export async function startEngineProcess(
  options: { dataDir?: string; env?: Record<string, string> } = {},
): Promise<EngineProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "ssc-engine-"));
  let output = "";
  const child: ChildProcess = spawn(process.execPath, [path.join(root, "dist/engine.mjs")], {
    // Scripted sipp carriers expect an INVITE first: no OPTIONS probes unless a test asks for them.
    env: {
      ...process.env,
      ENGINE_DATA_DIR: dataDir,
      ENGINE_SIP_HOST: "127.0.0.1",
      ENGINE_SIP_PORT: "0",
      ENGINE_CONTROL_PORT: "0",
      ENGINE_CARRIER_PROBE_SECONDS: "0",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const ready = /SIP on udp\/tcp [^:]+:(\d+), control API on http:\/\/[^:]+:(\d+)/;
  for (let i = 0; i < 100 && !ready.test(output); i++) {
    if (child.exitCode !== null) throw new Error(`engine exited: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const match = ready.exec(output);
  if (!match) throw new Error(`engine did not start: ${output}`);
  const controlPort = Number(match[2]);
  const token = readFileSync(path.join(dataDir, "control-token"), "utf8").trim();
  const control: EngineProcess["control"] = async (pathname, init = {}) => {
    const response = await fetch(`http://127.0.0.1:${controlPort}${pathname}`, {
      method: init.method ?? "GET",
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text,
    };
  };
  return {
    sipPort: Number(match[1]),
    controlPort,
    token,
    dataDir,
    pid: child.pid!,
    log: () => output,
    control,
    counters: async () => (await control("/v1/status")).body.counters,
    stop(signal = "SIGTERM") {
      return new Promise((resolve) => {
        // Already gone (exited, or killed by a signal): "exit" will not fire again.
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}
