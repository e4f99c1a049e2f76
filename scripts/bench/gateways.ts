// `npm run bench`: seeds 10,000 mapping and 10,000 routing gateways into a temporary database,
// serves the built console, and prints p50/p95 of list and search requests, the time of a
// 10,000-row CSV import, and reload times: with 10,000 gateways of each kind, with 10,000 more
// mapping gateways, after an engine restart, under REGISTER load, and after a console restart.
// Figures only: nothing here asserts a time.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
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
      name: `customer-${String(i).padStart(5, "0")}`,
      authMode: i % 3 === 0 ? "password" : "ip",
      ipAddresses: toJson(i % 3 === 0 ? [] : [ip(i, 0)]),
      passwordCipher: i % 3 === 0 ? encryptSecret(`secret-${i}`) : null,
      priority: i % 10,
      routingGroups: toJson([i % 2 ? "gold" : "silver"]),
      memo: `seeded row ${i}`,
    })),
  });
  await db.routingGateway.createMany({
    data: ids.map((i) => ({
      name: `carrier-${String(i).padStart(5, "0")}`,
      kind: "static",
      address: ip(i, 100),
      prefixes: toJson([`${1000 + i}`, `+${44000 + i}`]),
      priority: i % 10,
      group: i % 2 ? "gold" : "silver",
    })),
  });
}
// A token belongs to an operator (issue 19): an admin nobody can sign in as (no usable password hash).
const benchAdmin = await db.operator.create({ data: { username: "bench", role: "admin", passwordHash: "none" } });
const token = await createApiToken(
  { name: "bench", role: "admin" },
  { kind: "session", operatorId: benchAdmin.id, username: "bench", role: "admin", sessionId: "bench" },
);
if (!token.ok) throw new Error(token.message);
await db.$disconnect();

let server = await startConsole(dataDir, await freePort());
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
  [
    "mapping: filter mode+group, sort priority",
    () => "/api/v1/mapping-gateways?authMode=ip&group=gold&sort=priority&order=desc",
  ],
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
    console.log(
      name.padEnd(44),
      percentile(times, 50).toFixed(1).padStart(7),
      percentile(times, 95).toFixed(1).padStart(7),
      times[times.length - 1].toFixed(1).padStart(7),
    );
  }

  const rows = ["name,authMode,ipAddresses,capacity,routingGroups"];
  for (let i = 0; i < COUNT; i++) rows.push(`imported-${i},ip,${ip(i, 50)},10,gold`);
  const csv = rows.join("\n");
  await benchReloads(
    server.url,
    `${COUNT.toLocaleString("en")} mapping and ${COUNT.toLocaleString("en")} routing gateways`,
  );

  const preview = await timed(`${server.url}/api/v1/mapping-gateways/import?mode=preview`, {
    method: "POST",
    body: csv,
    headers: { "content-type": "text/csv" },
  });
  const started = performance.now();
  const job = (
    await timed(`${server.url}/api/v1/mapping-gateways/import?mode=commit`, {
      method: "POST",
      body: csv,
      headers: { "content-type": "text/csv" },
    })
  ).body as { id: string };
  let status = "running";
  while (status === "running") {
    await new Promise((r) => setTimeout(r, 100));
    status = ((await timed(`${server.url}/api/v1/import-jobs/${job.id}`)).body as { status: string }).status;
  }
  const commitMs = performance.now() - started;
  console.log(
    `\nCSV import of ${COUNT} rows (into ${COUNT} existing): preview ${(preview.ms / 1000).toFixed(2)} s (${(preview.body as { errors: unknown[] }).errors.length} bad rows), commit ${(commitMs / 1000).toFixed(2)} s until done (job ${status})`,
  );
  await benchReloads(
    server.url,
    `${(2 * COUNT).toLocaleString("en")} mapping and ${COUNT.toLocaleString("en")} routing gateways, ${COUNT.toLocaleString("en")} of them new`,
  );
  await benchEngineRestart(server.url);
  await benchReloadsUnderLoad(server.url, server.sipPort);
  // A console that restarts has no base for a difference: its first reload sends the whole snapshot.
  const port = Number(new URL(server.url).port);
  await server.stop();
  server = await startConsole(dataDir, port);
  await toggle(server.url);
  report("the first after a console restart", await reload(server.url));
  console.log("\nThe engine's own account of each reload (parse, check, save, the rest):");
  const applied = readFileSync(path.join(dataDir, "console.log"), "utf8")
    .split("\n")
    .filter((line) => line.includes("engine: applied configuration"));
  for (const line of applied) console.log(`  ${line.replace(/^.*engine: applied configuration /, "")}`);
} finally {
  await server.stop();
  // Both have exited; retries in case a file is still being released.
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}

type ReloadOutcome = { outcome: string; tookMs: number; engineMs: number; reasons: string[]; sentAs: string[] };

async function reload(url: string): Promise<ReloadOutcome> {
  const { id } = (await timed(`${url}/api/v1/reloads`, { method: "POST" })).body as { id: string };
  for (;;) {
    const job = (await timed(`${url}/api/v1/reloads/${id}`)).body as ReloadOutcome & { step: string };
    if (job.step === "done") return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function report(label: string, job: ReloadOutcome) {
  const refused = job.reasons.length ? ` (${job.reasons[0]})` : "";
  console.log(
    `  reload ${label}: ${job.outcome}, ${job.sentAs.join("+") || "nothing"} sent, ${job.tookMs} ms end to end, ${job.engineMs} ms inside the engine${refused}`,
  );
}

/** One pending change: SS_ENDPOINT_EXPIRE flips between 3600 and 3599. */
async function toggle(url: string) {
  const p = (await timed(`${url}/api/v1/parameters/SS_ENDPOINT_EXPIRE`)).body as { value: number; version: number };
  await timed(`${url}/api/v1/parameters/SS_ENDPOINT_EXPIRE`, {
    method: "PATCH",
    body: JSON.stringify({ value: p.value === 3600 ? 3599 : 3600, version: p.version }),
    headers: { "content-type": "application/json" },
  });
}

/**
 * Build, check, push and apply, three times: the first with every gateway added since the last
 * reload, then one changed parameter each. Inside the engine: from the body received to the answer.
 */
async function benchReloads(url: string, what: string) {
  console.log(`\nReload with ${what} (build, check, push, apply):`);
  for (let i = 1; i <= 3; i++) {
    if (i > 1) await toggle(url);
    report(String(i), await reload(url));
  }
}

/** The first reload after the engine restarts, from the snapshot it stored (the console restarts it). */
async function benchEngineRestart(url: string) {
  type EngineState = { engines: Array<{ up: boolean; pid?: number; version?: number }>; active: { version: number } };
  const engineState = async () => (await timed(`${url}/api/v1/engine`)).body as EngineState;
  const { pid } = (await engineState()).engines[0];
  if (!pid) throw new Error("the engine's pid is unknown: is it supervised by the console?");
  process.kill(pid, "SIGTERM");
  for (let tries = 0; ; tries++) {
    await new Promise((r) => setTimeout(r, 200));
    const state = await engineState();
    if (state.engines[0].up && state.engines[0].pid !== pid && state.engines[0].version === state.active.version) break;
    if (tries > 150) throw new Error("the engine did not come back within 30 s");
  }
  await toggle(url);
  report("the first after an engine restart", await reload(url));
}

/** REGISTERs from sipp at a steady rate while five reloads happen: none may fail. */
async function benchReloadsUnderLoad(url: string, sipPort: number) {
  await timed(`${url}/api/v1/mapping-gateways`, {
    method: "POST",
    body: JSON.stringify({ name: "bench-phone", authMode: "password", password: "Bench-Secret-1" }),
    headers: { "content-type": "application/json" },
  });
  const outcomes = [await reload(url)];
  const injection = writeInjection([["bench-phone", "Bench-Secret-1"]]);
  const scenario = path.join(import.meta.dirname, "../../e2e/sip/scenarios/register-407.xml");
  const load = runSipp({ port: sipPort, scenario, injection, calls: 5000, rate: 250, timeoutSeconds: 60 });
  for (let i = 0; i < 5; i++) {
    await toggle(url);
    outcomes.push(await reload(url));
    await new Promise((r) => setTimeout(r, 2000));
  }
  const r = await load;
  const applied = outcomes.filter((o) => o.outcome === "applied").length;
  console.log(
    `REGISTERs during 5 reloads (${applied} of ${outcomes.length} reloads applied): ${r.successful} registered, ${r.failed} failed, ${r.retransmissions} retransmissions (250/s for ${r.seconds.toFixed(1)} s)`,
  );
}
