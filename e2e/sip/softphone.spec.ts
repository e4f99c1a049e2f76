import { expect, test, type Processes } from "../helpers/processes";
import type { EngineProcess } from "../helpers/engine-process";
import { applyConfig, DEFAULT_REALM, passwordGateway, routingGateway } from "../helpers/snapshots";

// A real softphone (baresip) as the caller (issue 17): registered as a Password mapping gateway in
// each SS_AUTHCHALLENGEMODE, it calls through the engine to a sipp carrier, puts the call on hold
// and resumes it (re-INVITEs with a=sendonly, then a=sendrecv, relayed to the carrier) and hangs up.

const CALLEE = "0044123";
type TraceItem = {
  direction: "in" | "out";
  remotePort: number;
  method: string | null;
  status: number | null;
  text: string;
};

const answeredCalls = async (engine: EngineProcess) =>
  ((await engine.control("/v1/calls")).body.items as { state: string }[]).filter((c) => c.state === "answered").length;

/** A sipp carrier playing `scenario`, the engine, and baresip registered as Password gateway phone1. */
async function registeredPhone(processes: Processes, scenario: string, mode: number) {
  const carrier = await processes.sipp({ scenario, timeoutSeconds: 30 });
  const engine = await processes.engine();
  await applyConfig(engine, {
    parameters: { SS_AUTHCHALLENGEMODE: mode },
    mappingGateways: [passwordGateway("phone1", "Phone-Secret-1")],
    routingGateways: [routingGateway("carrier", carrier.localPort)],
  });
  const phone = await processes.baresip({
    aor: `sip:phone1@${DEFAULT_REALM}`,
    proxy: engine.sipPort,
    password: "Phone-Secret-1",
  });
  await expect.poll(async () => (await engine.control("/v1/registrations")).body.bindings.length).toBe(1);
  return { carrier, engine, phone };
}

for (const mode of [1, 2, 3]) {
  test(`SS_AUTHCHALLENGEMODE ${mode}: baresip registers, calls, holds, resumes and hangs up through the engine`, async ({
    processes,
  }) => {
    const { carrier, engine, phone } = await registeredPhone(processes, "carrier-hold.xml", mode);
    await phone.command("dial", `sip:${CALLEE}@${DEFAULT_REALM}`);
    await expect.poll(() => answeredCalls(engine)).toBe(1);
    // Each re-INVITE is done when the phone's ACK for its 200 reached the engine (the first is the call's)
    const acks = async () => (await engine.counters())['sip_requests_received_total{method="ACK"}'];
    await phone.command("hold");
    await expect.poll(acks).toBe(2);
    await phone.command("resume");
    await expect.poll(acks).toBe(3);
    await phone.command("hangup");
    const seen = await carrier.done;
    expect(seen.exitCode, `${seen.errors}\n${phone.log()}\n${engine.log()}`).toBe(0);
    await expect.poll(async () => (await engine.counters()).live_calls).toBe(0);
  });
}

test("the carrier hangs up a softphone's call: baresip gets the BYE through the engine", async ({ processes }) => {
  const { carrier, engine, phone } = await registeredPhone(processes, "carrier-hangs-up.xml", 3);
  await phone.command("dial", `sip:${CALLEE}@${DEFAULT_REALM}`);
  const seen = await carrier.done;
  expect(seen.exitCode, `${seen.errors}\n${phone.log()}`).toBe(0);
  await expect.poll(async () => (await engine.counters()).live_calls).toBe(0);
  // The phone got the BYE (sent to its port) and answered it
  const trace = (await engine.control(`/v1/trace?limit=100`)).body.items as TraceItem[];
  const toPhone = trace.filter((m) => m.remotePort === phone.sipPort);
  expect(toPhone.some((m) => m.direction === "out" && m.method === "BYE")).toBe(true);
  expect(toPhone.some((m) => m.direction === "in" && m.status === 200 && /CSeq: \d+ BYE/i.test(m.text))).toBe(true);
});
