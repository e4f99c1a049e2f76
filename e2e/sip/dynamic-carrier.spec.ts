import { expect, test } from "../helpers/processes";
import { freeSipPort, runSipp } from "../helpers/sipp";
import { applyConfig, ipPortGateway, routingGateway } from "../helpers/snapshots";

// A dynamic routing gateway (issue 8, "Registrations both ways"): the carrier registers to us with
// digest like a Password mapping gateway, and calls routed to it go where that registration came from.

test("a dynamic routing gateway registers with digest and a call reaches it at its registered address", async ({
  processes,
}) => {
  const engine = await processes.engine();
  const [carrierPort, callerPort] = [await freeSipPort(), await freeSipPort()];
  const dynamic = routingGateway("pbx-trunk", 0, {
    kind: "dynamic",
    address: null,
    authUsername: "trunk7",
    password: "Trunk-Secret-7",
  });
  await applyConfig(engine, {
    parameters: { SS_AUTHCHALLENGEMODE: 3 },
    mappingGateways: [ipPortGateway("caller", "127.0.0.1", callerPort)],
    routingGateways: [dynamic],
  });

  // Not registered yet: nowhere to send the call.
  const early = await runSipp({
    scenario: "call-uac.xml",
    serverPort: engine.sipPort,
    localPort: callerPort,
    service: "100",
    timeoutSeconds: 5,
  });
  expect(early.exitCode).not.toBe(0);

  const registered = await runSipp({
    scenario: "register-401.xml",
    serverPort: engine.sipPort,
    localPort: carrierPort,
    users: [["trunk7", "Trunk-Secret-7"]],
  });
  expect(registered.exitCode, registered.errors).toBe(0);
  const bindings = (await engine.control("/v1/registrations")).body;
  expect(bindings.bindings).toEqual([
    expect.objectContaining({ accountId: dynamic.id, source: expect.objectContaining({ port: carrierPort }) }),
  ]);
  // A wrong password for the carrier's account is challenged again, like any digest account.
  expect(
    (
      await runSipp({
        scenario: "register-401.xml",
        serverPort: engine.sipPort,
        users: [["trunk7", "wrong"]],
        timeoutSeconds: 5,
      })
    ).exitCode,
  ).not.toBe(0);

  const carrier = await processes.sipp({ scenario: "carrier-answer.xml", localPort: carrierPort, timeoutSeconds: 20 });
  const callRun = await runSipp({
    scenario: "call-uac.xml",
    serverPort: engine.sipPort,
    localPort: callerPort,
    service: "100",
    timeoutSeconds: 15,
  });
  expect(callRun.exitCode, callRun.errors).toBe(0);
  const carrierRun = await carrier.done;
  expect(carrierRun.exitCode, carrierRun.errors).toBe(0);
  expect(await engine.stop()).toBe(0);
});
