// `npm start`: migrate the database, build when no build exists, then serve the console, which
// starts and supervises the SIP engine.
// A build is made once; `npm run build` remakes it after a code change.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const childEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };
const dataDir = path.resolve(root, process.env.DATA_DIR ?? "data");

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: childEnv });
  if (result.status !== 0) {
    console.error(
      `start: "${path.basename(command)} ${args.join(" ")}" failed (exit ${result.status ?? result.signal})`,
    );
    process.exit(1);
  }
}

// The data folder is the console account's alone (0700); the console makes the database file and
// its journals 0600 when it opens it (lib/server/data-files.ts).
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
chmodSync(dataDir, 0o700);
run(bin("prisma"), ["migrate", "deploy"]);
if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.log("start: no build found, building the console (about a minute)…");
  run(bin("next"), ["build"]);
}
if (!existsSync(path.join(root, "dist", "engine.mjs")))
  run(process.execPath, [path.join(root, "scripts", "build-engine.mjs")]);

const port = process.env.PORT ?? "3000";
const host = process.env.HOST ?? "0.0.0.0";
const server = spawn(bin("next"), ["start", "-p", port, "-H", host], { cwd: root, stdio: "inherit", env: childEnv });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
