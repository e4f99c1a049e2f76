import { expect, test } from "../helpers/processes";
import type { EngineProcess } from "../helpers/engine-process";
import { freeSipPort, runSipp } from "../helpers/sipp";
import { applyConfig, ipGateway, routingGateway } from "../helpers/snapshots";

// Issue 17, with real peers: requests inside a call relayed end to end (sipp caller → engine → sipp
// carrier), session timers, a forking carrier, failover when a carrier refuses our credentials, and
// a record-routing Kamailio in front of the engine.

const CALLEE = "0044123";
const PBX = ipGateway("pbx", "127.0.0.1");
const CREDENTIALS = { authUsername: "carrier", password: "carrier-secret" };

const call = (engine: EngineProcess, scenario: string) =>
  runSipp({ scenario, serverPort: engine.sipPort, service: CALLEE, timeoutSeconds: 15 });

test("the carrier's re-INVITE and UPDATE refreshes and INFO reach the caller with the caller leg's CSeqs; the caller's INFO reaches the carrier; REFER gets 403", async ({
  processes,
}) => {
  const carrier = await processes.sipp({ scenario: "carrier-in-dialog.xml", timeoutSeconds: 20 });
  const engine = await processes.engine();
  await applyConfig(engine, {
    mappingGateways: [PBX],
    routingGateways: [routingGateway("carrier", carrier.localPort)],
  });
  const caller = await call(engine, "call-uac-in-dialog.xml");
  expect(caller.exitCode, `${caller.errors}\n${engine.log()}`).toBe(0);
  const seen = await carrier.done;
  expect(seen.exitCode, seen.errors).toBe(0);
  expect(await engine.counters()).toMatchObject({
    'sip_requests_received_total{method="UPDATE"}': 1,
    'sip_requests_received_total{method="INFO"}': 2,
    'sip_requests_received_total{method="REFER"}': 1,
    live_calls: 0,
  });
});

test("glare: the carrier's re-INVITE while the caller's is pending gets 491; the caller's then completes", async ({
  processes,
}) => {
  const carrier = await processes.sipp({ scenario: "carrier-glare.xml", timeoutSeconds: 20 });
  const engine = await processes.engine();
  await applyConfig(engine, {
    mappingGateways: [PBX],
    routingGateways: [routingGateway("carrier", carrier.localPort)],
  });
  const caller = await call(engine, "call-uac-reinvite.xml");
  expect(caller.exitCode, `${caller.errors}\n${engine.log()}`).toBe(0);
  const seen = await carrier.done;
  expect(seen.exitCode, seen.errors).toBe(0);
  expect((await engine.counters())['sip_responses_sent_total{code="491"}']).toBe(1);
});

test("100rel: the carrier's reliable 183 reaches the caller, whose PRACK reaches the carrier naming the carrier leg's INVITE", async ({
  processes,
}) => {
  const carrier = await processes.sipp({ scenario: "carrier-100rel.xml", timeoutSeconds: 20 });
  const engine = await processes.engine();
  await applyConfig(engine, {
    mappingGateways: [PBX],
    routingGateways: [routingGateway("carrier", carrier.localPort)],
  });
  const caller = await call(engine, "call-uac-100rel.xml");
  expect(caller.exitCode, `${caller.errors}\n${engine.log()}`).toBe(0);
  const seen = await carrier.done;
  expect(seen.exitCode, seen.errors).toBe(0);
  expect((await engine.counters())['sip_requests_received_total{method="PRACK"}']).toBe(1);
});

test("SS_SIP_SESSION_TTL: a call with no request inside it gets BYE on both legs at the TTL", async ({ processes }) => {
  const carrier = await processes.sipp({ scenario: "carrier-answer.xml", timeoutSeconds: 20 });
  const engine = await processes.engine();
  await applyConfig(engine, {
    parameters: { SS_SIP_SESSION_TTL: 2 },
    mappingGateways: [PBX],
    routingGateways: [routingGateway("carrier", carrier.localPort)],
  });
  const caller = await call(engine, "call-uac-callee-hangs-up.xml");
  expect(caller.exitCode, `${caller.errors}\n${engine.log()}`).toBe(0);
  expect((await carrier.done).exitCode).toBe(0);
  expect(engine.log()).toMatch(/no request inside the call for 2 s; ended by the server/);
});

test("a forking carrier: the second 2xx is ACKed and ended with BYE, the call goes on on the first", async ({
  processes,
}) => {
  const carrier = await processes.sipp({ scenario: "carrier-forks.xml", timeoutSeconds: 20 });
  const engine = await processes.engine();
  await applyConfig(engine, {
    mappingGateways: [PBX],
    routingGateways: [routingGateway("carrier", carrier.localPort)],
  });
  const caller = await call(engine, "call-uac.xml");
  expect(caller.exitCode, `${caller.errors}\n${engine.log()}`).toBe(0);
  const seen = await carrier.done;
  expect(seen.exitCode, seen.errors).toBe(0);
  expect((await engine.counters()).calls_forks_ended_total).toBe(1);
});

for (const failover of [true, false]) {
  test(`wrong password on the first carrier, right on the second: ${failover ? "the call connects through the second" : "with failoverOnAuthFailure off, it fails at once"}`, async ({
    processes,
  }) => {
    // carrier-401 checks the digest (sipp verifyauth) and challenges a wrong one again
    const refusing = await processes.sipp({ scenario: "carrier-401.xml", timeoutSeconds: 20 });
    const second = await processes.sipp({ scenario: "carrier-407.xml", timeoutSeconds: 20, traceMessages: true });
    const engine = await processes.engine();
    await applyConfig(engine, {
      mappingGateways: [PBX],
      routingGateways: [
        routingGateway("refusing", refusing.localPort, {
          ...CREDENTIALS,
          password: "wrong",
          priority: 9,
          failoverOnAuthFailure: failover,
        }),
        routingGateway("second", second.localPort, CREDENTIALS),
      ],
    });
    const caller = await call(engine, failover ? "call-uac.xml" : "call-uac-503.xml");
    expect(caller.exitCode, `${caller.errors}\n${engine.log()}`).toBe(0);
    expect((await refusing.done).exitCode).toBe(0);
    if (failover) expect((await second.done).exitCode).toBe(0);
    const records = (await engine.control("/v1/cdrs?after=0&limit=10")).body.records;
    expect(records.at(-1).attempts).toEqual(
      failover
        ? [
            expect.objectContaining({ routingGatewayName: "refusing", code: 401, failedOver: true }),
            expect.objectContaining({ routingGatewayName: "second", code: 200, failedOver: false }),
          ]
        : [expect.objectContaining({ routingGatewayName: "refusing", code: 401, failedOver: false })],
    );
    if (!failover) expect((await second.stop()).messages).not.toMatch(/INVITE sip:/);
  });
}

test("behind a record-routing Kamailio: the caller's ACK and the engine's BYE to the caller pass through it", async ({
  processes,
}) => {
  const carrier = await processes.sipp({ scenario: "carrier-hangs-up.xml", timeoutSeconds: 20 });
  const engine = await processes.engine();
  await applyConfig(engine, {
    mappingGateways: [PBX],
    routingGateways: [routingGateway("carrier", carrier.localPort)],
  });
  const proxy = await processes.kamailio("kamailio-record-route.cfg", { ENGINE: String(engine.sipPort) });
  const callerPort = await freeSipPort();
  const caller = await runSipp({
    scenario: "call-uac-via-proxy.xml",
    serverPort: proxy.port,
    localPort: callerPort,
    service: CALLEE,
    timeoutSeconds: 15,
  });
  expect(caller.exitCode, `${caller.errors}\n${proxy.log()}\n${engine.log()}`).toBe(0);
  expect((await carrier.done).exitCode).toBe(0);
  expect(proxy.log()).toContain(`kamailio: INVITE from 127.0.0.1:${callerPort}`);
  expect(proxy.log()).toContain(`kamailio: ACK from 127.0.0.1:${callerPort}`);
  expect(proxy.log()).toContain(`kamailio: BYE from 127.0.0.1:${engine.sipPort}`);
});
