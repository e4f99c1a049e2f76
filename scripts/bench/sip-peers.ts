import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ConfigContent, SnapshotMappingGateway } from "@/lib/domain/config-snapshot";
import { hashSnapshotContent } from "@/lib/engine/snapshot-check";
import { freePort } from "./console-server";

// The peers of `npm run bench:sip`: our engine (built bundle, own data folder) and Kamailio, both on
// 127.0.0.1, and the accounts both know: user uNNNNNN, password pw-uNNNNNN.

const root = path.resolve(import.meta.dirname, "../..");
export const REALM = "softswitch.local";

export const user = (i: number) => `u${String(i).padStart(6, "0")}`;
export const passwordOf = (u: string) => `pw-${u}`;

export function need(command: string, aptPackage: string) {
  if (spawnSync("which", [command]).status !== 0)
    throw new Error(`${command} is missing: apt-get install -y ${aptPackage}`);
}

/** A Password mapping gateway for account `u`, its password as HA1 for REALM. */
export function passwordGateway(u: string): SnapshotMappingGateway {
  const a1 = `${u}:${REALM}:${passwordOf(u)}`;
  return {
    id: `gw-${u}`,
    version: 1,
    name: u,
    enabled: true,
    locked: false,
    authMode: "password",
    ipAddresses: [],
    port: null,
    digestUsername: u,
    ha1Md5: createHash("md5").update(a1).digest("hex"),
    ha1Sha256: createHash("sha256").update(a1).digest("hex"),
    capacity: 0,
    priority: 0,
    calleeAllowPrefixes: [],
    calleeDenyPrefixes: [],
    callerRewrite: { strip: 0, prefix: "" },
    calleeRewrite: { strip: 0, prefix: "" },
    routingGroups: [],
    replyAddress: "source",
  };
}

export type BenchEngine = { port: number; pid: number; control: string; token: string; stop(): void };

/** Starts dist/engine.mjs (carrier OPTIONS probes off) and applies `content` as version 1. */
export async function startEngine(content: ConfigContent): Promise<BenchEngine> {
  if (!existsSync(path.join(root, "dist/engine.mjs")))
    spawnSync(process.execPath, [path.join(root, "scripts/build-engine.mjs")], { stdio: "inherit" });
  const dataDir = mkdtempSync(path.join(tmpdir(), "ssc-bench-engine-"));
  const [sipPort, controlPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, [path.join(root, "dist/engine.mjs")], {
    env: {
      ...process.env,
      ENGINE_DATA_DIR: dataDir,
      ENGINE_SIP_HOST: "127.0.0.1",
      ENGINE_SIP_PORT: String(sipPort),
      ENGINE_CONTROL_PORT: String(controlPort),
      ENGINE_TRACE_CAPACITY: "20000",
      ENGINE_CARRIER_PROBE_SECONDS: "0",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 100 && !existsSync(path.join(dataDir, "control-token")); i++)
    await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));
  const token = readFileSync(path.join(dataDir, "control-token"), "utf8").trim();
  const control = `http://127.0.0.1:${controlPort}`;
  const snapshot = { version: 1, hash: hashSnapshotContent(content), createdAt: new Date().toISOString(), ...content };
  const response = await fetch(`${control}/v1/snapshot`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(snapshot),
  });
  if (!response.ok) {
    child.kill("SIGTERM");
    throw new Error(`engine refused the benchmark snapshot: ${await response.text()}`);
  }
  return { port: sipPort, pid: child.pid!, control, token, stop: () => child.kill("SIGTERM") };
}

/** The engine's counters (GET /v1/status). */
export async function engineCounters(engine: BenchEngine): Promise<Record<string, number>> {
  const response = await fetch(`${engine.control}/v1/status`, { headers: { authorization: `Bearer ${engine.token}` } });
  return ((await response.json()) as { counters: Record<string, number> }).counters;
}

/** Kamailio with scripts/bench/`config`, its __NAME__ placeholders replaced (__LISTEN__ is set here). */
export async function startKamailio(
  config: string,
  values: Record<string, string> = {},
): Promise<{ port: number; stop(): void }> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "ssc-bench-kamailio-"));
  let text = readFileSync(path.join(root, "scripts/bench", config), "utf8").replace(
    "__LISTEN__",
    `udp:127.0.0.1:${port}`,
  );
  for (const [name, value] of Object.entries(values)) text = text.replaceAll(`__${name}__`, value);
  writeFileSync(path.join(dir, "kamailio.cfg"), text);
  const child: ChildProcess = spawn(
    "kamailio",
    ["-f", path.join(dir, "kamailio.cfg"), "-DD", "-E", "-m", "512", "-M", "32", "-P", path.join(dir, "pid")],
    { cwd: dir, stdio: "ignore" },
  );
  await new Promise((r) => setTimeout(r, 1500));
  return { port, stop: () => child.kill("SIGTERM") };
}
