// `npm run bench:sip`: the highest REGISTER+digest rate (sipp: REGISTER, 401, REGISTER with
// credentials, 200) that our engine and Kamailio each sustain with zero failed registrations, on
// this machine in one run, and the engine's memory with 100,000 live bindings. Loopback only;
// every sipp run is bounded in calls and time. Figures are printed, nothing is asserted.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defaultParameterValues } from "@/lib/domain/parameter-catalog";
import { hashSnapshotContent } from "@/lib/engine/snapshot-check";
import { freePort } from "./console-server";
import { runSipp, writeInjection } from "./sipp-run";

const root = path.resolve(import.meta.dirname, "../..");
const scenario = path.join(root, "e2e/sip/scenarios/register-401.xml");
const REALM = "softswitch.local";
const RATES = [2000, 4000, 6000, 8000, 10000, 12000, 14000, 16000];
const SECONDS_PER_STEP = 5;
const ACCOUNTS = 10_000;
const MEMORY_BINDINGS = 100_000;

const user = (i: number) => `u${String(i).padStart(6, "0")}`;
const passwordOf = (u: string) => `pw-${u}`;

function need(command: string, aptPackage: string) {
  if (spawnSync("which", [command]).status !== 0) throw new Error(`${command} is missing: apt-get install -y ${aptPackage}`);
}

function snapshotWith(accounts: number, version: number) {
  const md5 = (s: string) => createHash("md5").update(s).digest("hex");
  const sha = (s: string) => createHash("sha256").update(s).digest("hex");
  const mappingGateways = Array.from({ length: accounts }, (_, i) => {
    const u = user(i);
    return {
      id: `gw-${u}`, version: 1, name: u, enabled: true, locked: false, authMode: "password" as const, ipAddresses: [], port: null, digestUsername: u,
      ha1Md5: md5(`${u}:${REALM}:${passwordOf(u)}`), ha1Sha256: sha(`${u}:${REALM}:${passwordOf(u)}`), capacity: 0, priority: 0,
      calleeAllowPrefixes: [], calleeDenyPrefixes: [], callerRewrite: { strip: 0, prefix: "" }, calleeRewrite: { strip: 0, prefix: "" }, routingGroups: [], replyAddress: "source" as const,
    };
  });
  // Mode 3: REGISTER gets 401, as Kamailio's www_challenge does, so one scenario serves both.
  const content = { parameters: { ...defaultParameterValues(), SS_AUTHCHALLENGEMODE: 3, SS_SIP_DOMAIN: REALM }, mappingGateways, routingGateways: [] };
  return { version, hash: hashSnapshotContent(content), createdAt: new Date().toISOString(), ...content };
}

async function startEngine(accounts: number): Promise<{ port: number; pid: number; stop(): void }> {
  if (!existsSync(path.join(root, "dist/engine.mjs"))) spawnSync(process.execPath, [path.join(root, "scripts/build-engine.mjs")], { stdio: "inherit" });
  const dataDir = mkdtempSync(path.join(tmpdir(), "ssc-bench-engine-"));
  const [sipPort, controlPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, [path.join(root, "dist/engine.mjs")], {
    env: { ...process.env, ENGINE_DATA_DIR: dataDir, ENGINE_SIP_HOST: "127.0.0.1", ENGINE_SIP_PORT: String(sipPort), ENGINE_CONTROL_PORT: String(controlPort), ENGINE_TRACE_CAPACITY: "20000" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 100 && !existsSync(path.join(dataDir, "control-token")); i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));
  const token = readFileSync(path.join(dataDir, "control-token"), "utf8").trim();
  const response = await fetch(`http://127.0.0.1:${controlPort}/v1/snapshot`, { method: "PUT", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(snapshotWith(accounts, 1)) });
  if (!response.ok) throw new Error(`engine refused the benchmark snapshot: ${await response.text()}`);
  return { port: sipPort, pid: child.pid!, stop: () => child.kill("SIGTERM") };
}

async function startKamailio(): Promise<{ port: number; stop(): void }> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "ssc-bench-kamailio-"));
  const config = readFileSync(path.join(root, "scripts/bench/kamailio.cfg"), "utf8").replace("__LISTEN__", `udp:127.0.0.1:${port}`);
  writeFileSync(path.join(dir, "kamailio.cfg"), config);
  const child: ChildProcess = spawn("kamailio", ["-f", path.join(dir, "kamailio.cfg"), "-DD", "-E", "-m", "512", "-M", "32", "-P", path.join(dir, "pid")], { cwd: dir, stdio: "ignore" });
  await new Promise((r) => setTimeout(r, 1500));
  return { port, stop: () => child.kill("SIGTERM") };
}

/**
 * Climbs the rate ladder until a step loses a registration. Returns the last rate with zero failures,
 * and the last with retransmissions under 1% of requests (the rate held without strain).
 */
async function ladder(name: string, port: number, injection: string): Promise<{ zeroFailures: number; underOnePercentRetransmitted: number }> {
  const best = { zeroFailures: 0, underOnePercentRetransmitted: 0 };
  let strained = false;
  for (const rate of RATES) {
    const calls = rate * SECONDS_PER_STEP;
    const r = await runSipp({ port, scenario, injection, calls, rate, timeoutSeconds: SECONDS_PER_STEP * 4 });
    console.log(`${name.padEnd(9)} ${String(rate).padStart(6)}/s: ${r.successful}/${calls} registered, ${r.failed} failed, ${r.retransmissions} retransmissions, ${r.seconds.toFixed(1)} s`);
    if (r.failed > 0 || r.successful !== calls) break;
    best.zeroFailures = rate;
    // Two requests per registration (REGISTER, then REGISTER with credentials).
    strained ||= r.retransmissions >= calls * 2 * 0.01;
    if (!strained) best.underOnePercentRetransmitted = rate;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return best;
}

need("sipp", "sip-tester");
need("kamailio", "kamailio");
const injection = writeInjection(Array.from({ length: ACCOUNTS }, (_, i) => [user(i), passwordOf(user(i))]));

const engine = await startEngine(ACCOUNTS);
const ours = await ladder("engine", engine.port, injection).finally(() => engine.stop());
const kamailio = await startKamailio();
const theirs = await ladder("kamailio", kamailio.port, injection).finally(() => kamailio.stop());
const ratio = (a: number, b: number) => (b ? (a / b).toFixed(2) : "n/a");
console.log(`\nHighest REGISTER+digest rate with zero failed registrations: engine ${ours.zeroFailures}/s, Kamailio ${theirs.zeroFailures}/s, ratio ${ratio(ours.zeroFailures, theirs.zeroFailures)}`);
console.log(`Highest with retransmissions under 1%: engine ${ours.underOnePercentRetransmitted}/s, Kamailio ${theirs.underOnePercentRetransmitted}/s, ratio ${ratio(ours.underOnePercentRetransmitted, theirs.underOnePercentRetransmitted)}`);

const big = await startEngine(MEMORY_BINDINGS);
const bigInjection = writeInjection(Array.from({ length: MEMORY_BINDINGS }, (_, i) => [user(i), passwordOf(user(i))]));
const fill = await runSipp({ port: big.port, scenario, injection: bigInjection, calls: MEMORY_BINDINGS, rate: 4000, timeoutSeconds: 120 });
const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${big.pid}/status`, "utf8"))?.[1]) / 1024;
const right = rssMiB();
// Completed transactions stay for Timer J (64×T1 = 32 s, RFC 3261 §17.2.2); after it only bindings remain.
await new Promise((r) => setTimeout(r, 35_000));
console.log(`Engine with ${fill.successful} live bindings (${fill.failed} failed) and a 100,000-gateway snapshot: RSS ${right.toFixed(0)} MiB right after, ${rssMiB().toFixed(0)} MiB once Timer J has passed`);
big.stop();
