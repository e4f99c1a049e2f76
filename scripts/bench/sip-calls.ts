import path from "node:path";
import type { ConfigContent } from "@/lib/domain/config-snapshot";
import { defaultParameterValues } from "@/lib/domain/parameter-catalog";
import { REALM, engineCounters, passwordGateway, user, type BenchEngine } from "./sip-peers";
import { runSipp, startSippServer, type SippResult } from "./sipp-run";

// Authenticated calls for `npm run bench:sip` (issue 9): caller sipp → proxy (our engine or Kamailio)
// → carrier sipp, the caller answering a 407 on every INVITE; no pause, so open calls stay few.

const caller = path.join(import.meta.dirname, "call-uac-auth.xml");
const carrier = path.join(import.meta.dirname, "carrier-answer-rr.xml");
const CALLEE = "4420000";
export const CALL_RATES = [200, 500, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 8000];
const SECONDS_PER_STEP = 4;
export const CALLERS = 100;

/** Password gateways u000000… (407 for INVITE) and one static carrier on 127.0.0.1:`carrierPort`. */
export function callContent(carrierPort: number): ConfigContent {
  return {
    parameters: { ...defaultParameterValues(), SS_AUTHCHALLENGEMODE: 2, SS_SIP_DOMAIN: REALM },
    mappingGateways: Array.from({ length: CALLERS }, (_, i) => passwordGateway(user(i))),
    routingGateways: [
      {
        id: "carrier",
        version: 1,
        name: "carrier",
        enabled: true,
        kind: "static",
        address: "127.0.0.1",
        port: carrierPort,
        transport: "udp",
        prefixes: [],
        prefixMode: "stop",
        priority: 0,
        capacity: 0,
        group: "default",
        authUsername: null,
        password: null,
        authRealm: null,
        fromUser: null,
        fromDomain: null,
        callerRewrite: { strip: 0, prefix: "" },
        calleeRewrite: { strip: 0, prefix: "" },
        failoverCodes: [],
        failoverOnAuthFailure: true,
      },
    ],
  };
}

/** `calls` calls at `rate` through the proxy on `port`, with a carrier sipp listening for them meanwhile. */
export async function runCalls(
  port: number,
  carrierPort: number,
  injection: string,
  calls: number,
  rate: number,
): Promise<SippResult> {
  const timeoutSeconds = Math.ceil(calls / rate) * 4 + 10;
  const far = startSippServer({ port: carrierPort, scenario: carrier, calls, timeoutSeconds: timeoutSeconds + 5 });
  await new Promise((r) => setTimeout(r, 500));
  // The digest uri must be the Request-URI, sip:CALLEE@proxy (RFC 3261 §22.4); sipp adds "sip:".
  const result = await runSipp({
    port,
    scenario: caller,
    injection,
    calls,
    rate,
    timeoutSeconds,
    service: CALLEE,
    authUri: `${CALLEE}@127.0.0.1:${port}`,
  });
  await far.stop();
  return result;
}

/** Climbs the rate ladder until a step loses a call; returns the last rate with zero failures. */
export async function callLadder(name: string, port: number, carrierPort: number, injection: string): Promise<number> {
  let best = 0;
  for (const rate of CALL_RATES) {
    const calls = rate * SECONDS_PER_STEP;
    const r = await runCalls(port, carrierPort, injection, calls, rate);
    console.log(
      `${name.padEnd(9)} ${String(rate).padStart(6)}/s: ${r.successful}/${calls} calls, ${r.failed} failed, ${r.retransmissions} INVITE retransmissions, ${r.seconds.toFixed(1)} s`,
    );
    if (r.failed > 0 || r.successful !== calls) break;
    best = rate;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return best;
}

/**
 * The console's importer (lib/server/cdr-import.ts) taking the engine's journal into a fresh SQLite
 * database through the control API, as it does in production. DATA_DIR must name a migrated
 * database before this runs (lib/server/db reads it on import).
 */
export async function measureCdrImport(engine: BenchEngine): Promise<void> {
  const { importCdrs } = await import("@/lib/server/cdr-import");
  const { db } = await import("@/lib/server/db");
  const journal = (await engineCounters(engine)).cdrs_written_total ?? 0;
  const started = performance.now();
  const result = await importCdrs({ url: engine.control, token: () => engine.token });
  const seconds = (performance.now() - started) / 1000;
  if (!result.ok) throw new Error(`call record import failed: ${result.error}`);
  const rows = await db.cdr.count();
  await db.$disconnect();
  console.log(
    `CDR import: ${result.imported} of ${journal} journal records into SQLite (${rows} rows) in ${seconds.toFixed(2)} s: ${Math.round(result.imported / seconds)} records/s`,
  );
}
