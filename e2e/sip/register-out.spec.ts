import { expect, test } from "../helpers/processes";
import { applyConfig, routingGateway } from "../helpers/snapshots";

// A register-out routing gateway: the engine registers to a sipp registrar that challenges with 401
// and checks our digest (verifyauth), and unregisters when the gateway is removed.

test("register-out: registers to a challenging registrar, refreshes before expiry, unregisters when removed", async ({
  processes,
}) => {
  const engine = await processes.engine();
  const registrar = await processes.sipp({ scenario: "registrar-uas.xml", timeoutSeconds: 30 });
  const carrier = routingGateway("carrier-reg", registrar.localPort, {
    kind: "register-out",
    authUsername: "acct7",
    password: "s3cret",
  });
  await applyConfig(engine, { routingGateways: [carrier] });

  // First granted 2 s; the refresh a second later is granted 3600 s.
  await expect
    .poll(async () => (await engine.control("/v1/carriers")).body.registrations[0]?.expiresAt - Date.now(), {
      timeout: 10_000,
    })
    .toBeGreaterThan(3500 * 1000);
  const status = (await engine.control("/v1/carriers")).body.registrations[0];
  expect(status).toMatchObject({ name: "carrier-reg", lastCode: 200 });
  expect(status.expiresAt - Date.now()).toBeGreaterThan(3500 * 1000);
  expect(engine.log()).toContain('register-out gateway="carrier-reg" registered expires=2');
  expect(engine.log()).toContain('register-out gateway="carrier-reg" registered expires=3600');

  await applyConfig(engine, { routingGateways: [] });
  const run = await registrar.done;
  expect(run.exitCode, run.errors).toBe(0);
  expect((await engine.control("/v1/carriers")).body.registrations).toEqual([]);
  await engine.stop();
});

test("register-out with the wrong password: failed with the registrar's answer, retry scheduled after SS_SIP_USER_AGENT_RETRY_DELAY", async ({
  processes,
}) => {
  const engine = await processes.engine();
  const registrar = await processes.sipp({ scenario: "registrar-uas.xml", timeoutSeconds: 10 });
  await applyConfig(engine, {
    parameters: { SS_SIP_USER_AGENT_RETRY_DELAY: 5 },
    routingGateways: [
      routingGateway("carrier-bad", registrar.localPort, {
        kind: "register-out",
        authUsername: "acct7",
        password: "wrong",
      }),
    ],
  });
  await expect
    .poll(async () => (await engine.control("/v1/carriers")).body.registrations[0]?.state, { timeout: 10_000 })
    .toBe("failed");
  const failed = (await engine.control("/v1/carriers")).body.registrations[0];
  expect(failed).toMatchObject({ lastCode: 403, lastReason: "Wrong Credentials" });
  expect(failed.retryAt - Date.now()).toBeGreaterThan(3000);
  expect(failed.retryAt - Date.now()).toBeLessThanOrEqual(5000);
  expect(engine.log()).toMatch(
    /register-out gateway="carrier-bad" failed code=403 reason="Wrong Credentials" retry-in=5s/,
  );
  expect(engine.log()).not.toContain('wrong"');
  await registrar.stop();
  await engine.stop();
});

test("static carriers are probed with OPTIONS: one answering is reachable", async ({ processes }) => {
  const engine = await processes.engine({ env: { ENGINE_CARRIER_PROBE_SECONDS: "30" } });
  const carrier = await processes.sipp({ scenario: "options-uas.xml", timeoutSeconds: 10 });
  await applyConfig(engine, { routingGateways: [routingGateway("carrier-up", carrier.localPort)] });
  await expect
    .poll(async () => (await engine.control("/v1/carriers")).body.health[0]?.state, { timeout: 10_000 })
    .toBe("reachable");
  expect((await carrier.done).exitCode).toBe(0);
  await engine.stop();
});
