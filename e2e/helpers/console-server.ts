import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, openSync, readFileSync } from "node:fs";
import path from "node:path";

// The built console (which supervises the bundled engine) against a fresh database in `dir`:
// the run's shared console (global-setup.ts), and fresh installs a test needs for itself.

const root = path.resolve(import.meta.dirname, "../..");

async function waitForHealth(url: string, log: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet: keep polling until the deadline
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`e2e: the console did not become healthy within 60 s; see ${log}`);
}

/** The last setup code a console printed in its start log. */
export function lastSetupCode(log: string): string {
  const codes = [...log.matchAll(/SETUP CODE: ([A-Z0-9-]+)/g)];
  if (codes.length === 0) throw new Error("no setup code in the console log");
  return codes[codes.length - 1][1];
}

export type ConsoleServer = { url: string; logPath: string; setupCode(): string; stop(): Promise<void> };

/** SIGTERM to the server's process group (next-server and the engine it supervises), SIGKILL after 10 s. */
async function stopGroup(server: ChildProcess): Promise<void> {
  const group = server.pid;
  if (!group) return;
  const alive = () => {
    try {
      process.kill(-group, 0);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ESRCH") return false; // no process is left in the group
      throw error;
    }
  };
  if (!alive()) return;
  process.kill(-group, "SIGTERM");
  for (let waited = 0; alive(); waited += 100) {
    if (waited === 10_000) process.kill(-group, "SIGKILL");
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startConsoleServer(options: {
  dir: string;
  port: number;
  sipPort: number;
  controlPort: number;
}): Promise<ConsoleServer> {
  const { dir, port } = options;
  mkdirSync(path.join(dir, "data"), { recursive: true });
  const env = {
    ...process.env,
    DATA_DIR: path.join(dir, "data"),
    NEXT_TELEMETRY_DISABLED: "1",
    CHECKPOINT_DISABLE: "1",
    NODE_ENV: "production" as const,
    ENGINE_SIP_HOST: "127.0.0.1",
    ENGINE_SIP_PORT: String(options.sipPort),
    ENGINE_CONTROL_PORT: String(options.controlPort),
    // Scripted sipp carriers expect an INVITE first, not an OPTIONS probe.
    ENGINE_CARRIER_PROBE_SECONDS: "0",
  };
  const migrate = spawnSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
    cwd: root,
    env,
    encoding: "utf8",
  });
  if (migrate.status !== 0) throw new Error(`e2e: prisma migrate deploy failed:\n${migrate.stdout}\n${migrate.stderr}`);

  const logPath = path.join(dir, "console.log");
  const out = openSync(logPath, "a");
  const server = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: root,
    env,
    detached: true, // its own process group, so stopping it stops next-server and its children
    stdio: ["ignore", out, out],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(`${url}/api/health`, logPath);
  } catch (error) {
    await stopGroup(server);
    throw error;
  }
  return {
    url,
    logPath,
    setupCode: () => lastSetupCode(readFileSync(logPath, "utf8")),
    stop: () => stopGroup(server),
  };
}
