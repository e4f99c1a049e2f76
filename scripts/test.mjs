// `npm test`: every test the project has — format, lint, types, unit, then the production build with
// API and browser tests against the real server, database file and Chromium. After every step it
// checks that no process the step started is still running.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { reapLeftovers, TEST_RUN_MARKER } from "./leftover-processes.mjs";
import { ensureSystemPackages } from "./system-packages.mjs";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const runId = randomUUID();
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1", [TEST_RUN_MARKER]: runId };

ensureSystemPackages([
  { command: "/usr/bin/chromium", aptPackage: "chromium", why: "browser tests" },
  { command: "/usr/bin/sipp", aptPackage: "sip-tester", why: "SIP tests" },
  { command: "/usr/sbin/kamailio", aptPackage: "kamailio", why: "SIP tests with a proxy in front of the engine" },
  { command: "/usr/bin/baresip", aptPackage: "baresip", why: "SIP tests with a real softphone" },
  { command: "/usr/bin/tshark", aptPackage: "tshark", why: "reading trace exports as Wireshark does" },
]);

const steps = [
  ["format", bin("prettier"), ["--check", "."]],
  ["lint", bin("eslint"), ["."]],
  ["typecheck", bin("tsc"), ["--noEmit"]],
  ["unit tests", bin("vitest"), ["run"]],
  ["build", bin("next"), ["build"]],
  ["engine bundle", process.execPath, [path.join(root, "scripts", "build-engine.mjs")]],
  ["API and browser tests", bin("playwright"), ["test"]],
];

const timings = [];
for (const [name, command, args] of steps) {
  if (!existsSync(command)) {
    console.error(`test: ${command} is missing; run npm install first`);
    process.exit(1);
  }
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env });
  timings.push(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const left = await reapLeftovers(runId);
  if (left.length > 0) {
    console.error(`\ntest: ${name} left ${left.length} process(es) running (now killed):`);
    for (const { pid, command: line } of left) console.error(`  ${pid} ${line.slice(0, 200)}`);
  }
  if (result.status !== 0) {
    console.error(`\ntest: ${name} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
  if (left.length > 0) process.exit(1);
}
console.log(`\nAll tests passed; no test process left running.\n${timings.join("\n")}`);
