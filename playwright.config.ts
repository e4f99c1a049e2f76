import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// One console server for the whole run, on a free port with a temporary data folder, started by
// e2e/global-setup.ts from the production build. The values are put in the environment here so
// that the workers (which load this file again) see the same ones.
process.env.E2E_DIR ??= mkdtempSync(path.join(tmpdir(), "ssc-e2e-"));
// Below the kernel's ephemeral range (32768+), where the free ports the tests ask for come from.
process.env.E2E_PORT ??= String(10000 + (process.pid % 20000));
const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  workers: 1,
  fullyParallel: false,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL,
    browserName: "chromium",
    headless: true,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "setup", testMatch: /setup\.spec\.ts/ },
    { name: "api", testDir: "e2e/api", dependencies: ["setup"] },
    { name: "browser", testDir: "e2e/browser", dependencies: ["api"] },
    // The engine on its own: real SIP over real sockets to the bundled dist/engine.mjs.
    { name: "sip", testDir: "e2e/sip" },
  ],
});
