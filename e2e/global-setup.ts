import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, openSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { freePort } from "../scripts/bench/console-server";

const root = path.resolve(import.meta.dirname, "..");

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", () => reject(new Error(`e2e: port ${port} is taken; set E2E_PORT to a free port`)));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

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

/**
 * Starts the built console (which supervises the bundled engine) against a fresh database in a
 * temporary folder, the engine's SIP and control ports free ones; returns the teardown.
 */
export default async function globalSetup() {
  const dir = process.env.E2E_DIR!;
  const port = Number(process.env.E2E_PORT);
  await assertPortFree(port);
  // Workers start after this function, so they inherit these.
  process.env.E2E_SIP_PORT = String(await freePort());
  process.env.E2E_CONTROL_PORT = String(await freePort());
  mkdirSync(path.join(dir, "data"), { recursive: true });
  const env = {
    ...process.env, DATA_DIR: path.join(dir, "data"), NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1", NODE_ENV: "production" as const,
    ENGINE_SIP_HOST: "127.0.0.1", ENGINE_SIP_PORT: process.env.E2E_SIP_PORT, ENGINE_CONTROL_PORT: process.env.E2E_CONTROL_PORT,
    // Scripted sipp carriers expect an INVITE first, not an OPTIONS probe.
    ENGINE_CARRIER_PROBE_SECONDS: "0",
  };
  const migrate = spawnSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], { cwd: root, env, encoding: "utf8" });
  if (migrate.status !== 0) throw new Error(`e2e: prisma migrate deploy failed:\n${migrate.stdout}\n${migrate.stderr}`);

  const logPath = path.join(dir, "console.log");
  const out = openSync(logPath, "a");
  const server = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: root,
    env,
    detached: true, // its own process group, so the teardown stops next-server and its children
    stdio: ["ignore", out, out],
  });
  process.env.E2E_LOG = logPath;
  await waitForHealth(`http://127.0.0.1:${port}/api/health`, logPath);
  return async () => {
    if (server.pid) process.kill(-server.pid, "SIGTERM");
  };
}
