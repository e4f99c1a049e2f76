import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "../helpers/processes";
import type { EngineProcess } from "../helpers/engine-process";
import { freeSipPort, runSipp } from "../helpers/sipp";
import { applyConfig, ipGateway, passwordGateway, routingGateway } from "../helpers/snapshots";

// Issue 18, with real peers: an engine that dies (kill -9) or is stopped (SIGTERM) during 20 answered
// calls comes back on the same port and data folder and resumes them: BYE from the caller side (10)
// and from the carrier side (10) is relayed and answered; every record has its true end. Calls still
// ringing are ended cleanly: the caller gets a final response and the carrier a CANCEL.

type Cdr = { id: string; endedBy: string; endedAt: number; answeredAt: number | null; finalReason: string };

/** How many events of kind `t` the engine's dialog journal holds on disk (synced within 200 ms). */
const journaled = (engine: EngineProcess, t: string) =>
  (readFileSync(path.join(engine.dataDir, "dialogs.jsonl"), "utf8").match(new RegExp(`"t":"${t}"`, "g")) ?? []).length;
const records = async (engine: EngineProcess) =>
  (await engine.control("/v1/cdrs?after=0&limit=100")).body.records as Cdr[];

for (const signal of ["SIGKILL", "SIGTERM"] as const) {
  test(`${signal} during 20 answered calls: after the restart each call's BYE, from either side, goes through`, async ({
    processes,
  }) => {
    test.setTimeout(90_000);
    const TALK_MS = 8_000;
    // Carrier 1 waits for the caller's BYE; carrier 2 hangs up itself after TALK_MS
    const waiting = await processes.sipp({ scenario: "carrier-answer.xml", count: 10, timeoutSeconds: 40 });
    const hanging = await processes.sipp({
      scenario: "carrier-pause-bye.xml",
      count: 10,
      pauseMs: TALK_MS,
      timeoutSeconds: 40,
    });
    const engine = await processes.engine();
    await applyConfig(engine, {
      mappingGateways: [ipGateway("pbx", "127.0.0.1")],
      routingGateways: [
        routingGateway("to-waiting", waiting.localPort, { prefixes: ["0044"] }),
        routingGateway("to-hanging", hanging.localPort, { prefixes: ["0033"] }),
      ],
    });
    const hangingUp = await processes.sipp({
      scenario: "call-uac-pause-bye.xml",
      serverPort: engine.sipPort,
      service: "0044123",
      count: 10,
      rate: 20,
      pauseMs: TALK_MS,
      timeoutSeconds: 40,
    });
    const listening = await processes.sipp({
      scenario: "call-uac-callee-hangs-up.xml",
      serverPort: engine.sipPort,
      service: "0033123",
      count: 10,
      rate: 20,
      timeoutSeconds: 40,
    });
    await expect.poll(async () => (await engine.counters()).calls_answered_total ?? 0, { timeout: 10_000 }).toBe(20);
    await expect.poll(() => journaled(engine, "up")).toBe(20);
    const stoppedAt = Date.now();
    await engine.stop(signal);
    const restarted = await processes.engine({
      dataDir: engine.dataDir,
      env: { ENGINE_SIP_PORT: String(engine.sipPort) },
    });
    expect(restarted.log()).toContain("resumed 20 answered call(s); ended 0 call(s) still in setup");

    for (const run of [hangingUp, listening, waiting, hanging]) {
      const done = await run.done;
      expect(done.exitCode, `${done.errors}\n${restarted.log()}`).toBe(0);
    }
    await expect.poll(async () => (await restarted.counters()).live_calls).toBe(0);
    // Records are written in batches within 200 ms of a call's end
    await expect.poll(async () => (await records(restarted)).filter((r) => r.answeredAt !== null).length).toBe(20);
    const ended = (await records(restarted)).filter((r) => r.answeredAt !== null);
    expect(ended.filter((r) => r.endedBy === "caller")).toHaveLength(10);
    expect(ended.filter((r) => r.endedBy === "callee")).toHaveLength(10);
    for (const r of ended) expect(r.endedAt).toBeGreaterThan(stoppedAt);
  });
}

test("kill -9 during 20 calls still ringing: every caller gets a final response and every carrier a CANCEL", async ({
  processes,
}) => {
  test.setTimeout(90_000);
  // carrier-ring: INVITE, 180, then it must get CANCEL (200), answer 487 and get its ACK
  const ringing = await processes.sipp({ scenario: "carrier-ring.xml", count: 20, timeoutSeconds: 40 });
  const engine = await processes.engine();
  await applyConfig(engine, {
    parameters: { SS_SIP_TIMEOUT_INVITE: 30 },
    mappingGateways: [ipGateway("pbx", "127.0.0.1")],
    routingGateways: [routingGateway("carrier", ringing.localPort)],
  });
  // call-uac-ring-503: INVITE, 180, then a final 503, ACK
  const callers = await processes.sipp({
    scenario: "call-uac-ring-503.xml",
    serverPort: engine.sipPort,
    service: "0044123",
    count: 20,
    rate: 40,
    timeoutSeconds: 40,
  });
  await expect
    .poll(async () => ((await engine.control("/v1/calls")).body.items as unknown[]).length, { timeout: 10_000 })
    .toBe(20);
  await expect.poll(() => journaled(engine, "attempt")).toBe(20);
  await engine.stop("SIGKILL");
  const restarted = await processes.engine({
    dataDir: engine.dataDir,
    env: { ENGINE_SIP_PORT: String(engine.sipPort) },
  });
  expect(restarted.log()).toContain("resumed 0 answered call(s); ended 20 call(s) still in setup");
  for (const run of [callers, ringing]) {
    const done = await run.done;
    expect(done.exitCode, `${done.errors}\n${restarted.log()}`).toBe(0);
  }
  expect((await restarted.counters()).live_calls).toBe(0);
  await expect
    .poll(async () => (await records(restarted)).filter((r) => r.finalReason === "engine stopped").length)
    .toBe(20);
});

test("a REGISTER just before kill -9: after the restart the binding is the new one", async ({ processes }) => {
  const engine = await processes.engine();
  await applyConfig(engine, {
    parameters: { SS_AUTHCHALLENGEMODE: 3 },
    mappingGateways: [passwordGateway("phone1", "Phone-Secret-1")],
  });
  const register = (localPort: number) =>
    runSipp({
      scenario: "register-401.xml",
      serverPort: engine.sipPort,
      localPort,
      users: [["phone1", "Phone-Secret-1"]],
    });
  const [first, second] = [await freeSipPort(), await freeSipPort()];
  expect((await register(first)).exitCode).toBe(0);
  expect((await register(second)).exitCode).toBe(0);
  // Queued before the 200 went out, on disk within a second: no waiting out a timer of 30 s
  const journal = path.join(engine.dataDir, "bindings.jsonl");
  await expect.poll(() => readFileSync(journal, "utf8").includes(`"port":${second}`)).toBe(true);
  await engine.stop("SIGKILL");
  const restarted = await processes.engine({ dataDir: engine.dataDir });
  const ports = ((await restarted.control("/v1/registrations")).body.bindings as { source: { port: number } }[]).map(
    (b) => b.source.port,
  );
  expect(ports).toContain(second);
});
