import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import type { Cdr, LiveCallView, TestCallResult } from "../../lib/domain/cdr";
import type { SnapshotMappingGateway, SnapshotRoutingGateway } from "../../lib/domain/config-snapshot";
import { startEngineProcess, type EngineProcess } from "../helpers/engine-process";
import { runSipp, startSipp, type SippHandle } from "../helpers/sipp";
import { readChallenges, SipClient } from "../helpers/sip-client";
import { applyConfig, ipGateway, passwordGateway, routingGateway } from "../helpers/snapshots";

// Call records, live calls, hang-up and the Test button (issue 9): sipp as caller (an IP mapping
// gateway on 127.0.0.1) and as carrier, the engine a real process; its journal read over the
// control API as the console reads it.

const CARRIER_CREDENTIALS = { authUsername: "carrier", password: "carrier-secret" };
const CALLEE = "0044123";
const PBX = ipGateway("pbx", "127.0.0.1");
let engines: EngineProcess[] = [];
let sipps: SippHandle[] = [];

async function engineWith(
  mapping: SnapshotMappingGateway[],
  routing: SnapshotRoutingGateway[],
  parameters: Record<string, unknown> = {},
  dataDir?: string,
) {
  const engine = await startEngineProcess({ dataDir });
  engines.push(engine);
  await applyConfig(engine, {
    parameters: { SS_SIP_TIMEOUT_INVITE: 3, ...parameters } as never,
    mappingGateways: mapping,
    routingGateways: routing,
  });
  return engine;
}

async function carrier(scenario: string): Promise<SippHandle> {
  const handle = await startSipp({ scenario, transport: "u1", timeoutSeconds: 20, traceMessages: true });
  sipps.push(handle);
  return handle;
}

const call = (engine: EngineProcess, scenario: string) =>
  runSipp({ scenario, serverPort: engine.sipPort, transport: "u1", service: CALLEE, timeoutSeconds: 15 });

/** Records after `after`, waiting (records are durable, and served, within 200 ms) for `count` of them. */
async function cdrs(engine: EngineProcess, count: number, after = 0): Promise<Cdr[]> {
  let records: Cdr[] = [];
  for (let i = 0; i < 40; i++) {
    records = (await engine.control(`/v1/cdrs?after=${after}&limit=100`)).body.records as Cdr[];
    if (records.length >= count) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return records;
}

async function liveCall(engine: EngineProcess, state: string): Promise<LiveCallView> {
  for (let i = 0; i < 100; i++) {
    const items = (await engine.control("/v1/calls")).body.items as LiveCallView[];
    const found = items.find((c) => c.state === state);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${state} call`);
}

/** Stops `engine` now (the helper waits forever on a second stop of a killed process). */
function stop(engine: EngineProcess, signal?: NodeJS.Signals) {
  engines = engines.filter((e) => e !== engine);
  return engine.stop(signal);
}

test.afterEach(async () => {
  for (const handle of sipps) await handle.stop();
  sipps = [];
  for (const engine of engines) await engine.stop("SIGKILL");
  engines = [];
});

test("a connected call leaves one record: numbers, gateways, times, 200, ended by the caller", async () => {
  const far = await carrier("carrier-answer.xml");
  const engine = await engineWith([PBX], [routingGateway("carrier", far.localPort)]);
  const caller = await call(engine, "call-uac.xml");
  expect(caller.exitCode, caller.errors).toBe(0);
  const [record] = await cdrs(engine, 1);
  expect(record).toMatchObject({
    seq: 1,
    callerReceived: "1000",
    calleeReceived: CALLEE,
    calleeSent: CALLEE,
    mappingGatewayId: PBX.id,
    mappingGatewayName: "pbx",
    routingGatewayId: "id-carrier",
    routingGatewayName: "carrier",
    sourceAddress: `127.0.0.1:${caller.localPort}`,
    finalCode: 200,
    endedBy: "caller",
    illegal: false,
    challengesAnswered: 0,
    configVersion: 1,
  });
  expect(record.answeredAt).not.toBeNull();
  expect(record.holdSeconds).toBeGreaterThanOrEqual(0);
  expect(record.endedAt).toBeGreaterThanOrEqual(record.answeredAt!);
  expect((await engine.control("/v1/status")).body.counters.cdrs_written_total).toBe(1);
});

test("a busy callee: the carrier's 486 reaches the caller and the record says the callee ended it", async () => {
  const far = await carrier("carrier-486.xml");
  const engine = await engineWith([PBX], [routingGateway("carrier", far.localPort)]);
  const caller = await call(engine, "call-uac-486.xml");
  expect(caller.exitCode, caller.errors).toBe(0);
  expect(await cdrs(engine, 1)).toEqual([
    expect.objectContaining({
      finalCode: 486,
      finalReason: "Busy Here",
      endedBy: "callee",
      answeredAt: null,
      holdSeconds: 0,
    }),
  ]);
});

test("the carrier refuses our password: 503 Carrier Authentication Failed after one challenge answered", async () => {
  const far = await carrier("carrier-401.xml");
  const engine = await engineWith(
    [PBX],
    [routingGateway("carrier", far.localPort, { ...CARRIER_CREDENTIALS, password: "wrong" })],
  );
  const caller = await call(engine, "call-uac-503.xml");
  expect(caller.exitCode, caller.errors).toBe(0);
  expect(await cdrs(engine, 1)).toEqual([
    expect.objectContaining({
      finalCode: 503,
      finalReason: "Carrier Authentication Failed",
      challengesAnswered: 1,
      routingGatewayId: "id-carrier",
    }),
  ]);
});

for (const billed of [true, false]) {
  test(`an INVITE from a stranger ${billed ? "is recorded as illegal" : "leaves no record"} with SERVER_BILLING_RECORD_ILLEGAL_CALL ${billed ? "on" : "off"}`, async () => {
    const engine = await engineWith([ipGateway("elsewhere", "192.0.2.1")], [], {
      SERVER_BILLING_RECORD_ILLEGAL_CALL: billed,
      SS_REPLY_UNAUTHORIZED: true,
    });
    const caller = await call(engine, "call-uac-403.xml");
    expect(caller.exitCode, caller.errors).toBe(0);
    if (billed) {
      expect(await cdrs(engine, 1)).toEqual([
        expect.objectContaining({
          illegal: true,
          finalCode: 403,
          endedBy: "server",
          callerReceived: "1000",
          calleeReceived: CALLEE,
          mappingGatewayId: null,
          sourceAddress: `127.0.0.1:${caller.localPort}`,
        }),
      ]);
    } else {
      await new Promise((r) => setTimeout(r, 500));
      expect((await engine.control("/v1/cdrs")).body).toEqual({ records: [], next: 0 });
    }
  });
}

test("a wrong digest answer to our challenge is recorded as illegal; the first, merely challenged INVITE is not", async () => {
  const engine = await engineWith([passwordGateway("alice", "secret")], [], { SS_AUTHCHALLENGEMODE: 2 });
  const client = await SipClient.open(engine.sipPort);
  try {
    const { response } = await client.send("INVITE", "alice");
    expect(response?.status).toBe(407);
    await new Promise((r) => setTimeout(r, 400));
    expect((await engine.control("/v1/cdrs")).body.records).toEqual([]);
    const wrong = await client.send("INVITE", "alice", {
      answer: { challenge: readChallenges(response!)[0], username: "alice", password: "not-it" },
    });
    expect(wrong.response?.status).toBe(407);
    expect(await cdrs(engine, 1)).toEqual([
      expect.objectContaining({
        illegal: true,
        finalCode: 407,
        finalReason: "Digest Authentication Failed",
        endedBy: "server",
        calleeReceived: "100",
      }),
    ]);
  } finally {
    client.close();
  }
});

test("seq continues across an engine restart; a call in flight when the engine is killed is resumed, and its record ends when it does", async () => {
  const far = await carrier("carrier-486.xml");
  let engine = await engineWith([PBX], [routingGateway("carrier", far.localPort)]);
  expect((await call(engine, "call-uac-486.xml")).exitCode).toBe(0);
  expect((await cdrs(engine, 1)).map((r) => r.seq)).toEqual([1]);
  expect(await stop(engine)).toBe(0);

  const answering = await carrier("carrier-answer.xml");
  engine = await engineWith([PBX], [routingGateway("carrier", answering.localPort)], {}, engine.dataDir);
  const caller = await startSipp({
    scenario: "call-uac-callee-hangs-up.xml",
    serverPort: engine.sipPort,
    transport: "u1",
    service: CALLEE,
    timeoutSeconds: 15,
  });
  sipps.push(caller);
  const live = await liveCall(engine, "answered");
  // The dialog journal has the answered call on disk (synced within 200 ms)
  await expect
    .poll(() => readFileSync(path.join(engine.dataDir, "dialogs.jsonl"), "utf8").includes('"t":"up"'))
    .toBe(true);
  expect(await stop(engine, "SIGKILL")).toBeNull();

  // The same port and data folder (issue 18): the call is resumed, then hung up by the operator
  engine = await startEngineProcess({ dataDir: engine.dataDir, env: { ENGINE_SIP_PORT: String(engine.sipPort) } });
  engines.push(engine);
  expect((await liveCall(engine, "answered")).id).toBe(live.id);
  expect((await engine.control(`/v1/calls?id=${live.id}`, { method: "DELETE" })).status).toBe(200);
  expect((await caller.done).exitCode).toBe(0);
  expect((await answering.done).exitCode).toBe(0);
  const records = await cdrs(engine, 2);
  expect(records.map((r) => r.seq)).toEqual([1, 2]);
  expect(records[1]).toMatchObject({
    id: live.id,
    endedBy: "server",
    finalReason: "hung up by operator",
    finalCode: 200,
  });
  expect(records[1].endedAt).toBeGreaterThanOrEqual(records[1].answeredAt!);
});

test("DELETE /v1/calls hangs up both legs: the caller and the carrier each get a BYE; the record says the operator", async () => {
  const far = await carrier("carrier-answer.xml");
  const engine = await engineWith([PBX], [routingGateway("carrier", far.localPort)]);
  const caller = runSipp({
    scenario: "call-uac-callee-hangs-up.xml",
    serverPort: engine.sipPort,
    transport: "u1",
    service: CALLEE,
    timeoutSeconds: 15,
  });
  const live = await liveCall(engine, "answered");
  expect(live).toMatchObject({
    mappingGatewayId: PBX.id,
    routingGatewayId: "id-carrier",
    callee: CALLEE,
    caller: "1000",
  });
  expect(await engine.control("/v1/calls?id=nope", { method: "DELETE" })).toMatchObject({ status: 404 });
  expect(await engine.control(`/v1/calls?id=${live.id}`, { method: "DELETE" })).toEqual({
    status: 200,
    body: { hungUp: true },
  });
  const ran = await caller;
  expect(ran.exitCode, ran.errors).toBe(0);
  const seen = await far.done;
  expect(seen.exitCode, seen.errors).toBe(0);
  expect((await engine.control("/v1/calls")).body.items).toEqual([]);
  expect(await cdrs(engine, 1)).toEqual([
    expect.objectContaining({ id: live.id, endedBy: "server", finalReason: "hung up by operator" }),
  ]);
});

test("the Test button: OPTIONS, a test INVITE answered after a 407 challenge, ACK and BYE; no record", async () => {
  const far = await carrier("carrier-test-407.xml");
  const engine = await engineWith([PBX], [routingGateway("carrier", far.localPort, CARRIER_CREDENTIALS)]);
  const answer = await engine.control("/v1/test-call", {
    method: "POST",
    body: { routingGatewayId: "id-carrier", number: "0044999" },
  });
  expect(answer.status).toBe(200);
  const result = answer.body as TestCallResult;
  expect(result, JSON.stringify(result, null, 1)).toMatchObject({
    ok: true,
    options: { code: 200 },
    invite: { code: 200, challenged: true },
  });
  expect(result.summary).toMatch(/407 challenge/);
  const lines = result.messages.map((m) => `${m.direction} ${m.text.split("\r\n")[0]}`);
  expect(lines).toEqual([
    "out OPTIONS sip:127.0.0.1:" + far.localPort + " SIP/2.0",
    "in SIP/2.0 200 OK",
    `out INVITE sip:0044999@127.0.0.1:${far.localPort} SIP/2.0`,
    "in SIP/2.0 407 Proxy Authentication Required",
    expect.stringMatching(/^out ACK /),
    `out INVITE sip:0044999@127.0.0.1:${far.localPort} SIP/2.0`,
    "in SIP/2.0 200 OK",
    expect.stringMatching(/^out ACK /),
    expect.stringMatching(/^out BYE /),
    "in SIP/2.0 200 OK",
  ]);
  const retry = result.messages[5].text;
  expect(retry).toMatch(/^From: <sip:softswitch-test@/m);
  // the digest response is masked, as in the trace ring
  expect(/^Proxy-Authorization: (.+)$/m.exec(retry)?.[1]).toMatch(
    /^Digest username="carrier", realm="carrier.test", .*response="\*\*\*"/,
  );
  expect((await far.done).exitCode).toBe(0);
  expect((await engine.control("/v1/cdrs")).body.records).toEqual([]);
});

test("the Test button with the wrong password: not ok, and the reason", async () => {
  const far = await carrier("carrier-test-401.xml");
  const engine = await engineWith(
    [PBX],
    [routingGateway("carrier", far.localPort, { ...CARRIER_CREDENTIALS, password: "wrong" })],
  );
  const answer = await engine.control("/v1/test-call", {
    method: "POST",
    body: { routingGatewayId: "id-carrier", number: "0044999" },
  });
  const result = answer.body as TestCallResult;
  expect(result, JSON.stringify(result, null, 1)).toMatchObject({
    ok: false,
    options: { code: 200 },
    invite: { code: 401, challenged: true },
    summary: "Carrier refused our credentials (second 401)",
  });
  expect(result.messages.filter((m) => m.direction === "out" && m.text.startsWith("INVITE "))).toHaveLength(2);
  expect(
    await engine.control("/v1/test-call", { method: "POST", body: { routingGatewayId: "nope", number: "1" } }),
  ).toMatchObject({ status: 404 });
  expect(
    await engine.control("/v1/test-call", { method: "POST", body: { routingGatewayId: "id-carrier", number: "abc" } }),
  ).toMatchObject({ status: 400 });
});
