import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "../helpers/processes";
import { createToken, sessionClient, tokenClient } from "../helpers/api";
import { reloadConsole, setParameter } from "../helpers/console-config";
import { readChallenges, SipClient } from "../helpers/sip-client";
import { freeSipPort, runSipp } from "../helpers/sipp";

// The auth doctor against the console's own engine: each failure pattern is produced with real SIP
// over UDP, and the doctor must name it from the messages the engine saw.

test.describe.configure({ mode: "serial" });
let api: APIRequestContext;
const sipPort = () => Number(process.env.E2E_SIP_PORT);
const PHONE = { name: `doctor-phone-${Date.now()}`, password: "Doctor-Secret-1" };
let pbxPort: number;

test.beforeAll(async () => {
  api = await tokenClient(await createToken(await sessionClient(), `doctor-robot-${Date.now()}`, "operator"));
  pbxPort = await freeSipPort();
  expect(
    (
      await api.post("/api/v1/mapping-gateways", {
        data: { name: PHONE.name, authMode: "password", password: PHONE.password },
      })
    ).status(),
  ).toBe(201);
  expect(
    (
      await api.post("/api/v1/mapping-gateways", {
        data: { name: `doctor-pbx-${Date.now()}`, authMode: "ip-port", ipAddresses: ["127.0.0.1"], port: pbxPort },
      })
    ).status(),
  ).toBe(201);
  await setParameter(api, "SS_AUTHCHALLENGEMODE", 2);
  await setParameter(api, "SS_NONCE_LIFETIME", 10);
  await setParameter(api, "SS_AUTHENTICATION_MAX_RETRY", 3);
  await setParameter(api, "SS_AUTH_SUSPEND_ALLOW_GATEWAYS", false);
  expect((await reloadConsole(api)).outcome).toBe("applied");
});

test.afterAll(async () => {
  // Forget 127.0.0.1's failures (suspended or not) so later tests start clean
  await api.delete("/api/v1/security/suspensions?source=127.0.0.1");
  await setParameter(api, "SS_NONCE_LIFETIME", 300);
  await setParameter(api, "SS_AUTHENTICATION_MAX_RETRY", 6);
  await setParameter(api, "SS_AUTH_SUSPEND_ALLOW_GATEWAYS", true);
  await reloadConsole(api);
});

async function causesFor(query: string): Promise<string[]> {
  const response = await api.get(`/api/v1/doctor?${query}`);
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()).findings.map((f: { cause: string }) => f.cause);
}

async function withClient<T>(run: (client: SipClient) => Promise<T>, localPort?: number): Promise<T> {
  const client = await SipClient.open(sipPort(), { localPort });
  try {
    return await run(client);
  } finally {
    client.close();
  }
}

test("the doctor refuses a query without exactly one subject", async () => {
  const response = await api.get("/api/v1/doctor");
  expect(response.status()).toBe(400);
  expect((await response.json()).error.message).toBe("(body): Give exactly one of callId, gatewayId or address");
  expect((await api.get("/api/v1/doctor?address=1.2.3")).status()).toBe(400);
});

test("an endpoint that ignores 407 on REGISTER", async () => {
  const callId = await withClient(async (c) => {
    expect((await c.send("REGISTER", PHONE.name)).response?.status).toBe(407);
    return c.callId;
  });
  expect(await causesFor(`callId=${encodeURIComponent(callId)}`)).toEqual(["ignores-407-on-register"]);
});

test("a wrong password: repeated challenges", async () => {
  const callId = await withClient(async (c) => {
    const first = await c.send("REGISTER", PHONE.name);
    const again = await c.send("REGISTER", PHONE.name, {
      answer: { challenge: readChallenges(first.response!)[0], username: PHONE.name, password: "not-it" },
    });
    expect(again.response?.status).toBe(407);
    return c.callId;
  });
  expect(await causesFor(`callId=${encodeURIComponent(callId)}`)).toEqual(["wrong-password"]);
});

test("a realm mismatch", async () => {
  const callId = await withClient(async (c) => {
    const first = await c.send("REGISTER", PHONE.name);
    const challenge = { ...readChallenges(first.response!)[0], realm: "other.example" };
    expect(
      (await c.send("REGISTER", PHONE.name, { answer: { challenge, username: PHONE.name, password: PHONE.password } }))
        .response?.status,
    ).toBe(407);
    return c.callId;
  });
  expect(await causesFor(`callId=${encodeURIComponent(callId)}`)).toEqual(["realm-mismatch"]);
});

test("a request from the wrong port of an IP+Port gateway", async () => {
  const callId = await withClient(async (c) => {
    expect((await c.send("INVITE", "pbx")).response?.status).toBe(407);
    return c.callId;
  });
  expect(await causesFor(`callId=${encodeURIComponent(callId)}`)).toEqual(["wrong-address"]);
});

test("stale nonce reuse: the old nonce again after stale=true", async () => {
  test.setTimeout(40_000);
  const callId = await withClient(async (c) => {
    const challenge = readChallenges((await c.send("REGISTER", PHONE.name)).response!)[0];
    const answer = { challenge, username: PHONE.name, password: PHONE.password };
    expect((await c.send("REGISTER", PHONE.name, { answer: { ...answer, nc: 1 } })).response?.status).toBe(200);
    // SS_NONCE_LIFETIME is 10 s
    await new Promise((r) => setTimeout(r, 11_000));
    const stale = await c.send("REGISTER", PHONE.name, { answer: { ...answer, nc: 2 } });
    expect(readChallenges(stale.response!)[0].stale).toBe(true);
    expect(
      readChallenges((await c.send("REGISTER", PHONE.name, { answer: { ...answer, nc: 3 } })).response!)[0].stale,
    ).toBe(true);
    return c.callId;
  });
  expect(await causesFor(`callId=${encodeURIComponent(callId)}`)).toEqual(["stale-nonce-reuse"]);
});

test("a source suspended for brute force", async () => {
  // SS_AUTHENTICATION_MAX_RETRY is 3 (one failure is already counted): wrong answers until the engine goes silent.
  const callId = await withClient(async (c) => {
    let response = (await c.send("REGISTER", PHONE.name)).response;
    for (let i = 0; i < 3 && response !== null; i++) {
      response = (
        await c.send("REGISTER", PHONE.name, {
          answer: { challenge: readChallenges(response)[0], username: PHONE.name, password: "still-not-it" },
        })
      ).response;
    }
    expect(response).toBeNull();
    return c.callId;
  });
  expect(await causesFor(`callId=${encodeURIComponent(callId)}`)).toEqual(["source-suspended", "wrong-password"]);
  expect(await causesFor("address=127.0.0.1")).toContain("source-suspended");
  expect((await api.delete("/api/v1/security/suspensions?source=127.0.0.1")).status()).toBe(200);
});

test("a carrier's challenge the softswitch cannot answer, from the call record", async ({ processes }) => {
  const callerPort = await freeSipPort();
  const carrier = await processes.sipp({ scenario: "carrier-407.xml", timeoutSeconds: 10 });
  expect(
    (
      await api.post("/api/v1/mapping-gateways", {
        data: {
          name: `doctor-caller-${Date.now()}`,
          authMode: "ip-port",
          ipAddresses: ["127.0.0.1"],
          port: callerPort,
        },
      })
    ).status(),
  ).toBe(201);
  const created = await api.post("/api/v1/routing-gateways", {
    data: { name: `doctor-carrier-${Date.now()}`, address: "127.0.0.1", port: carrier.localPort, prefixes: ["0077"] },
  });
  expect(created.status()).toBe(201);
  const carrierId = (await created.json()).id;
  expect((await reloadConsole(api)).outcome).toBe("applied");
  const call = await runSipp({
    scenario: "call-uac.xml",
    serverPort: sipPort(),
    localPort: callerPort,
    service: "0077123",
    timeoutSeconds: 5,
  });
  expect(call.exitCode).not.toBe(0);
  await carrier.stop();
  let record: { callId: string; finalCode: number; finalReason: string } | undefined;
  await expect
    .poll(async () => (record = (await (await api.get("/api/v1/cdrs?callee=0077123")).json()).items[0])?.finalReason, {
      timeout: 15_000,
    })
    .toBe("Carrier Authentication Failed");
  const response = await api.get(`/api/v1/doctor?callId=${encodeURIComponent(record!.callId)}`);
  const { findings } = await response.json();
  expect(findings[0]).toMatchObject({
    cause: "carrier-challenge-unanswered",
    fix: { href: `/routing-gateways/${carrierId}` },
  });
  expect(findings[0].explanation).toContain("has no username and password");
});
