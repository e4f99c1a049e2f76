import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Builds when no build exists and migrates the database in `dataDir`. */
export function prepareConsole(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  const env = { ...process.env, DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };
  if (!existsSync(path.join(root, ".next", "BUILD_ID")))
    spawnSync(path.join(root, "node_modules/.bin/next"), ["build"], { cwd: root, env, stdio: "inherit" });
  if (!existsSync(path.join(root, "dist", "engine.mjs")))
    spawnSync(process.execPath, [path.join(root, "scripts", "build-engine.mjs")], { cwd: root, stdio: "inherit" });
  migrateDatabase(dataDir);
}

/** A console database in `dataDir` (DATA_DIR's default file), migrated to the latest schema. */
export function migrateDatabase(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  const { DATABASE_URL: _elsewhere, ...inherited } = process.env;
  const env = { ...inherited, DATA_DIR: dataDir, CHECKPOINT_DISABLE: "1" };
  const migrate = spawnSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
    cwd: root,
    env,
    encoding: "utf8",
  });
  if (migrate.status !== 0) throw new Error(`prisma migrate deploy failed: ${migrate.stderr}`);
}

/** Starts the built console (its own process group) and waits until /api/health answers. */
/** Until no process of the group is left (the engine writes its registrations as it stops), at most 10 s. */
async function groupGone(pgid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `stop()` ends the console and its engine, and resolves once both have exited. */
export async function startConsole(
  dataDir: string,
  port: number,
): Promise<{ url: string; sipPort: number; stop(): Promise<void> }> {
  const log = openSync(path.join(dataDir, "console.log"), "a");
  const [sipPort, controlPort] = [await freePort(), await freePort()];
  const child: ChildProcess = spawn(
    path.join(root, "node_modules/.bin/next"),
    ["start", "-H", "127.0.0.1", "-p", String(port)],
    {
      cwd: root,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        NEXT_TELEMETRY_DISABLED: "1",
        NODE_ENV: "production",
        ENGINE_SIP_HOST: "127.0.0.1",
        ENGINE_SIP_PORT: String(sipPort),
        ENGINE_CONTROL_PORT: String(controlPort),
      },
      detached: true,
      stdio: ["ignore", log, log],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      return {
        url,
        sipPort,
        stop() {
          process.kill(-child.pid!, "SIGTERM");
          return groupGone(child.pid!);
        },
      };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  process.kill(-child.pid!, "SIGTERM");
  throw new Error(`the console did not start; see ${dataDir}/console.log`);
}
