// `npm run bench:sip`, on this machine in one run, our engine beside Kamailio:
// - the highest REGISTER+digest rate (sipp: REGISTER, 401, REGISTER with credentials, 200) each
//   sustains with zero failed registrations;
// - the highest rate of authenticated calls (caller sipp → proxy → carrier sipp; INVITE, 407,
//   INVITE with Proxy-Authorization, 200, ACK, BYE) each sustains with zero failed calls;
// - how fast the console's importer takes the engine's call records into its database;
// - the engine's memory with 100,000 live bindings.
// Loopback only; every sipp run is bounded in calls and time. Figures are printed, nothing is asserted.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ConfigContent } from "@/lib/domain/config-snapshot";
import { defaultParameterValues } from "@/lib/domain/parameter-catalog";
import { freePort, migrateDatabase } from "./console-server";
import { CALLERS, CALL_RATES, callContent, callLadder, measureCdrImport, runCalls } from "./sip-calls";
import {
  REALM,
  engineCounters,
  need,
  passwordGateway,
  passwordOf,
  startEngine,
  startKamailio,
  user,
  type BenchEngine,
} from "./sip-peers";
import { runSipp, writeInjection } from "./sipp-run";

const scenario = path.join(import.meta.dirname, "../../e2e/sip/scenarios/register-401.xml");
const RATES = [2000, 4000, 6000, 8000, 10000, 12000, 14000, 16000];
const SECONDS_PER_STEP = 5;
const ACCOUNTS = 10_000;
const MEMORY_BINDINGS = 100_000;
const CDR_RECORDS = 20_000;

const accountsOf = (n: number) => Array.from({ length: n }, (_, i): [string, string] => [user(i), passwordOf(user(i))]);
const ratio = (a: number, b: number) => (b ? (a / b).toFixed(2) : "n/a");
/** A rate, marked when it is the ladder's last step: the real limit may lie higher. */
const rateOf = (rate: number, ladder: readonly number[]) =>
  `${rate}/s${rate === ladder.at(-1) ? " (top of the ladder)" : ""}`;

function registerContent(accounts: number): ConfigContent {
  // Mode 3: REGISTER gets 401, as Kamailio's www_challenge does, so one scenario serves both.
  const mappingGateways = Array.from({ length: accounts }, (_, i) => passwordGateway(user(i)));
  return {
    parameters: { ...defaultParameterValues(), SS_AUTHCHALLENGEMODE: 3, SS_SIP_DOMAIN: REALM },
    mappingGateways,
    routingGateways: [],
  };
}

/**
 * Climbs the rate ladder until a step loses a registration. Returns the last rate with zero failures,
 * and the last with retransmissions under 1% of requests (the rate held without strain).
 */
async function ladder(
  name: string,
  port: number,
  injection: string,
): Promise<{ zeroFailures: number; underOnePercentRetransmitted: number }> {
  const best = { zeroFailures: 0, underOnePercentRetransmitted: 0 };
  let strained = false;
  for (const rate of RATES) {
    const calls = rate * SECONDS_PER_STEP;
    const r = await runSipp({ port, scenario, injection, calls, rate, timeoutSeconds: SECONDS_PER_STEP * 4 });
    console.log(
      `${name.padEnd(9)} ${String(rate).padStart(6)}/s: ${r.successful}/${calls} registered, ${r.failed} failed, ${r.retransmissions} retransmissions, ${r.seconds.toFixed(1)} s`,
    );
    if (r.failed > 0 || r.successful !== calls) break;
    best.zeroFailures = rate;
    // Two requests per registration (REGISTER, then REGISTER with credentials).
    strained ||= r.retransmissions >= calls * 2 * 0.01;
    if (!strained) best.underOnePercentRetransmitted = rate;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return best;
}

/** The journal's record count once no call is live and it stopped growing (waits a minute at most). */
async function settledRecords(engine: BenchEngine): Promise<number> {
  let last = -1;
  for (let i = 0; i < 60; i++) {
    const counters = await engineCounters(engine);
    const written = counters.cdrs_written_total ?? 0;
    if (counters.live_calls === 0 && written === last) return written;
    last = written;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return last;
}

/** Calls at a rate the engine held until its journal has CDR_RECORDS call records, then the import. */
async function benchCdrImport(
  engine: BenchEngine,
  carrierPort: number,
  injection: string,
  heldRate: number,
): Promise<void> {
  const missing = CDR_RECORDS - (await settledRecords(engine));
  if (missing > 0) {
    const r = await runCalls(engine.port, carrierPort, injection, missing, Math.max(heldRate, 200));
    console.log(`(${r.successful} more calls for the import, ${r.failed} failed)`);
    await settledRecords(engine);
  }
  // The console's database: a fresh SQLite file, as lib/server/db opens it from DATA_DIR.
  const dataDir = mkdtempSync(path.join(tmpdir(), "ssc-bench-cdr-"));
  migrateDatabase(dataDir);
  process.env.DATA_DIR = dataDir;
  delete process.env.DATABASE_URL;
  await measureCdrImport(engine);
}

/** The engine's call ladder, then the import of the records those calls left. */
async function engineCallsAndImport(carrierPort: number, callers: string): Promise<number> {
  const engine = await startEngine(callContent(carrierPort));
  try {
    const best = await callLadder("engine", engine.port, carrierPort, callers);
    await benchCdrImport(engine, carrierPort, callers, best);
    return best;
  } finally {
    engine.stop();
  }
}

need("sipp", "sip-tester");
need("kamailio", "kamailio");
const injection = writeInjection(accountsOf(ACCOUNTS));

const engine = await startEngine(registerContent(ACCOUNTS));
const ours = await ladder("engine", engine.port, injection).finally(() => engine.stop());
const kamailio = await startKamailio("kamailio.cfg");
const theirs = await ladder("kamailio", kamailio.port, injection).finally(() => kamailio.stop());
console.log(
  `\nHighest REGISTER+digest rate with zero failed registrations: engine ${rateOf(ours.zeroFailures, RATES)}, Kamailio ${rateOf(theirs.zeroFailures, RATES)}, ratio ${ratio(ours.zeroFailures, theirs.zeroFailures)}`,
);
console.log(
  `Highest with retransmissions under 1%: engine ${rateOf(ours.underOnePercentRetransmitted, RATES)}, Kamailio ${rateOf(theirs.underOnePercentRetransmitted, RATES)}, ratio ${ratio(ours.underOnePercentRetransmitted, theirs.underOnePercentRetransmitted)}\n`,
);

const carrierPort = await freePort();
const callers = writeInjection(accountsOf(CALLERS));
const ourCalls = await engineCallsAndImport(carrierPort, callers);
const proxy = await startKamailio("kamailio-calls.cfg", { CARRIER: String(carrierPort) });
const theirCalls = await callLadder("kamailio", proxy.port, carrierPort, callers).finally(() => proxy.stop());
console.log(
  `\nHighest authenticated call rate (INVITE, 407, INVITE with credentials, 200, ACK, BYE) with zero failed calls: engine ${rateOf(ourCalls, CALL_RATES)}, Kamailio ${rateOf(theirCalls, CALL_RATES)}, ratio ${ratio(ourCalls, theirCalls)}\n`,
);

const big = await startEngine(registerContent(MEMORY_BINDINGS));
const bigInjection = writeInjection(accountsOf(MEMORY_BINDINGS));
const fill = await runSipp({
  port: big.port,
  scenario,
  injection: bigInjection,
  calls: MEMORY_BINDINGS,
  rate: 4000,
  timeoutSeconds: 120,
});
const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${big.pid}/status`, "utf8"))?.[1]) / 1024;
const right = rssMiB();
// Completed transactions stay for Timer J (64×T1 = 32 s, RFC 3261 §17.2.2); after it only bindings remain.
await new Promise((r) => setTimeout(r, 35_000));
console.log(
  `Engine with ${fill.successful} live bindings (${fill.failed} failed) and a 100,000-gateway snapshot: RSS ${right.toFixed(0)} MiB right after, ${rssMiB().toFixed(0)} MiB once Timer J has passed`,
);
big.stop();
