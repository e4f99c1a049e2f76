// `npm run bench`: seeds 10,000 mapping and 10,000 routing gateways into a temporary database,
// serves the built console, and prints p50/p95 of list and search requests and the time of a
// 10,000-row CSV import. Figures only: nothing here asserts a time.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, prepareConsole, startConsole } from "./console-server";
import { runSipp, writeInjection } from "./sipp-run";

const COUNT = 10_000;
const REQUESTS = 200;

const dataDir = mkdtempSync(path.join(tmpdir(), "ssc-bench-"));
process.env.DATA_DIR = dataDir;
prepareConsole(dataDir);

const { db } = await import("@/lib/server/db");
const { createApiToken } = await import("@/lib/server/api-tokens");
const { toJson } = await import("@/lib/server/gateway-rows");
const { encryptSecret } = await import("@/lib/server/secret-box");

const ip = (i: number, base: number) => `10.${base + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`;
console.log(`Seeding ${COUNT} mapping and ${COUNT} routing gateways…`);
for (let start = 0; start < COUNT; start += 1000) {
  const ids = Array.from({ length: 1000 }, (_, k) => start + k);
  await db.mappingGateway.createMany({
    data: ids.map((i) => ({
      name: `customer-${String(i).padStart(5, "0")}`, authMode: i % 3 === 0 ? "password" : "ip", ipAddresses: toJson(i % 3 === 0 ? [] : [ip(i, 0)]),
      passwordCipher: i % 3 === 0 ? encryptSecret(`secret-${i}`) : null, priority: i % 10, routingGroups: toJson([i % 2 ? "gold" : "silver"]), memo: `seeded row ${i}`,
    })),
  });
  await db.routingGateway.createMany({
    data: ids.map((i) => ({ name: `carrier-${String(i).padStart(5, "0")}`, kind: "static", address: ip(i, 100), prefixes: toJson([`${1000 + i}`, `+${44000 + i}`]), priority: i % 10, group: i % 2 ? "gold" : "silver" })),
  });
}
const token = await createApiToken({ name: "bench", role: "admin" }, { actor: "bench", via: "system" });
if (!token.ok) throw new Error(token.message);
await db.$disconnect();

const server = await startConsole(dataDir, await freePort());
const headers = { authorization: `Bearer ${token.value.token}` };

async function timed(url: string, init?: RequestInit): Promise<{ ms: number; body: unknown }> {
  const started = performance.now();
  const response = await fetch(url, { ...init, headers: { ...headers, ...init?.headers } });
  const body = await response.json();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${JSON.stringify(body)}`);
  return { ms: performance.now() - started, body };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const cases: Array<[string, (i: number) => string]> = [
  ["mapping: first page (50)", () => "/api/v1/mapping-gateways"],
  ["mapping: page 150 of 200", () => "/api/v1/mapping-gateways?page=150"],
  ["mapping: search by name", (i) => `/api/v1/mapping-gateways?search=customer-0${i % 1000}`],
  ["mapping: search by IP", (i) => `/api/v1/mapping-gateways?search=10.0.${i % 39}.`],
  ["mapping: filter mode+group, sort priority", () => "/api/v1/mapping-gateways?authMode=ip&group=gold&sort=priority&order=desc"],
  ["routing: first page (50)", () => "/api/v1/routing-gateways"],
  ["routing: search by prefix", (i) => `/api/v1/routing-gateways?search=${1000 + (i % 9000)}`],
  ["routing: filter group, sort priority", () => "/api/v1/routing-gateways?group=silver&sort=priority"],
];

try {
  for (const [, path] of cases) await timed(server.url + path(0)); // warm up each route once
  console.log(`\nList and search over ${COUNT} gateways of each kind, ${REQUESTS} sequential requests each (ms):`);
  console.log("case".padEnd(44), "p50".padStart(7), "p95".padStart(7), "max".padStart(7));
  for (const [name, path] of cases) {
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) times.push((await timed(server.url + path(i))).ms);
    times.sort((a, b) => a - b);
    console.log(name.padEnd(44), percentile(times, 50).toFixed(1).padStart(7), percentile(times, 95).toFixed(1).padStart(7), times[times.length - 1].toFixed(1).padStart(7));
  }

  const rows = ["name,authMode,ipAddresses,capacity,routingGroups"];
  for (let i = 0; i < COUNT; i++) rows.push(`imported-${i},ip,${ip(i, 50)},10,gold`);
  const csv = rows.join("\n");
  const preview = await timed(`${server.url}/api/v1/mapping-gateways/import?mode=preview`, { method: "POST", body: csv, headers: { "content-type": "text/csv" } });
  const started = performance.now();
  const job = (await timed(`${server.url}/api/v1/mapping-gateways/import?mode=commit`, { method: "POST", body: csv, headers: { "content-type": "text/csv" } })).body as { id: string };
  let status = "running";
  while (status === "running") {
    await new Promise((r) => setTimeout(r, 100));
    status = ((await timed(`${server.url}/api/v1/import-jobs/${job.id}`)).body as { status: string }).status;
  }
  const commitMs = performance.now() - started;
  console.log(`\nCSV import of ${COUNT} rows (into ${COUNT} existing): preview ${(preview.ms / 1000).toFixed(2)} s (${(preview.body as { errors: unknown[] }).errors.length} bad rows), commit ${(commitMs / 1000).toFixed(2)} s until done (job ${status})`);
  await benchReloads(server.url, server.sipPort);
} finally {
  await server.stop();
  // Both have exited; retries in case a file is still being released.
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}

/**
 * Reload with everything above (20,000 mapping and 10,000 routing gateways): build, check, push
 * and apply, three times; then REGISTERs from sipp at a steady rate while five reloads happen.
 */
async function benchReloads(url: string, sipPort: number) {
  const post = (path: string, body?: unknown) => timed(url + path, { method: "POST", ...(body ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}) });
  await post("/api/v1/mapping-gateways", { name: "bench-phone", authMode: "password", password: "Bench-Secret-1" });
  const reload = async () => {
    const { id } = (await post("/api/v1/reloads")).body as { id: string };
    for (;;) {
      const job = (await timed(`${url}/api/v1/reloads/${id}`)).body as { step: string; outcome: string; tookMs: number; engineMs: number; reasons: string[] };
      if (job.step === "done") return job;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const toggle = async () => {
    const p = (await timed(`${url}/api/v1/parameters/SS_ENDPOINT_EXPIRE`)).body as { value: number; version: number };
    await timed(`${url}/api/v1/parameters/SS_ENDPOINT_EXPIRE`, { method: "PATCH", body: JSON.stringify({ value: p.value === 3600 ? 3599 : 3600, version: p.version }), headers: { "content-type": "application/json" } });
  };
  console.log("\nReload with 20,001 mapping and 10,000 routing gateways (build, check, push, apply):");
  for (let i = 1; i <= 3; i++) {
    if (i > 1) await toggle();
    const job = await reload();
    console.log(`  reload ${i}: ${job.outcome}, ${job.tookMs} ms end to end, ${job.engineMs} ms inside the engine${job.reasons.length ? ` (${job.reasons[0]})` : ""}`);
  }
  // The first reload after the engine restarts, from the snapshot it stored (the console restarts it).
  type EngineState = { engines: Array<{ up: boolean; pid?: number; version?: number }>; active: { version: number } };
  const engineState = async () => (await timed(`${url}/api/v1/engine`)).body as EngineState;
  const { pid } = (await engineState()).engines[0];
  if (pid) {
    process.kill(pid, "SIGTERM");
    for (let tries = 0; ; tries++) {
      await new Promise((r) => setTimeout(r, 200));
      const state = await engineState();
      if (state.engines[0].up && state.engines[0].pid !== pid && state.engines[0].version === state.active.version) break;
      if (tries > 150) throw new Error("the engine did not come back within 30 s");
    }
    await toggle();
    const job = await reload();
    console.log(`  reload 4, the first after an engine restart: ${job.outcome}, ${job.tookMs} ms end to end, ${job.engineMs} ms inside the engine${job.reasons.length ? ` (${job.reasons[0]})` : ""}`);
  }
  const injection = writeInjection([["bench-phone", "Bench-Secret-1"]]);
  const scenario = path.join(import.meta.dirname, "../../e2e/sip/scenarios/register-407.xml");
  const load = runSipp({ port: sipPort, scenario, injection, calls: 5000, rate: 250, timeoutSeconds: 60 });
  for (let i = 0; i < 5; i++) {
    await toggle();
    await reload();
    await new Promise((r) => setTimeout(r, 2000));
  }
  const r = await load;
  console.log(`REGISTERs during 5 reloads: ${r.successful} registered, ${r.failed} failed, ${r.retransmissions} retransmissions (250/s for ${r.seconds.toFixed(1)} s)`);
}
