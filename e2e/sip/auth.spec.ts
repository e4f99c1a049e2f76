import { expect, test } from "@playwright/test";
import { getHeaderValues } from "../../lib/engine/sip/header-access";
import { startEngineProcess, type EngineProcess } from "../helpers/engine-process";
import { readChallenges, responseValueOf, SipClient, type Transport } from "../helpers/sip-client";
import { runSipp } from "../helpers/sipp";
import { applyConfig, ipGateway, ipPortGateway, passwordGateway } from "../helpers/snapshots";

// Who may talk to the softswitch and how it is challenged (DESIGN.md domain rules, issue 6): sipp
// as the real phone, the project's SIP client for what sipp cannot do. One engine per test.

const PASSWORD = "s3cr3t-alice";
const ALICE = passwordGateway("alice", PASSWORD);
let engine: EngineProcess;
let clients: SipClient[] = [];

async function startWith(config: Parameters<typeof applyConfig>[1]): Promise<EngineProcess> {
  engine = await startEngineProcess();
  await applyConfig(engine, config);
  return engine;
}

async function open(options: { transport?: Transport; localPort?: number } = {}): Promise<SipClient> {
  const client = await SipClient.open(engine.sipPort, options);
  clients.push(client);
  return client;
}

const registrations = async () =>
  (await engine.control("/v1/registrations")).body as {
    total: number;
    bindings: Array<{ accountId: string; uri: string }>;
  };
const statusLine = (r: { status: number; reason: string } | null) =>
  r === null ? "no answer" : `${r.status} ${r.reason}`;

test.afterEach(async () => {
  for (const client of clients) client.close();
  clients = [];
  expect(await engine.stop()).toBe(0);
});

const sippCases = [
  { mode: 1, challenge: 401, transport: "u1" },
  { mode: 2, challenge: 407, transport: "u1" },
  { mode: 3, challenge: 401, transport: "u1" },
  { mode: 1, challenge: 401, transport: "t1" },
  { mode: 2, challenge: 407, transport: "t1" },
] as const;
for (const { mode, challenge, transport } of sippCases) {
  // register-<challenge>.xml fails unless the first REGISTER is answered with exactly that status.
  const scenario = `register-${challenge}.xml`;
  test(`SS_AUTHCHALLENGEMODE ${mode}: sipp over ${transport === "u1" ? "UDP" : "TCP"} gets ${challenge}, answers it and registers`, async () => {
    await startWith({ parameters: { SS_AUTHCHALLENGEMODE: mode }, mappingGateways: [ALICE] });
    const run = await runSipp({ scenario, serverPort: engine.sipPort, transport, users: [["alice", PASSWORD]] });
    expect(run.exitCode, run.errors).toBe(0);
    expect((await registrations()).total).toBe(1);
  });
}

for (const transport of ["udp", "tcp"] as const) {
  test(`SS_AUTHCHALLENGEMODE 3 over ${transport.toUpperCase()}: an INVITE is challenged with 407 and Proxy-Authenticate`, async () => {
    await startWith({ parameters: { SS_AUTHCHALLENGEMODE: 3 }, mappingGateways: [ALICE] });
    const client = await open({ transport });
    const { response } = await client.send("INVITE", "alice");
    expect(statusLine(response)).toBe("407 Proxy Authentication Required");
    expect(getHeaderValues(response!, "WWW-Authenticate")).toEqual([]);
    const [challenge] = readChallenges(response!);
    expect(challenge).toMatchObject({
      header: "Proxy-Authenticate",
      realm: "softswitch.local",
      algorithm: "MD5",
      qop: "auth",
    });
    // Answered, the call is let in: there is no route for it yet (calls come later), but no new challenge.
    const answered = await client.send("INVITE", "alice", {
      answer: { challenge, username: "alice", password: PASSWORD },
    });
    expect(statusLine(answered.response)).toBe("404 No Route");
  });
}

test("credentials are accepted from the header the challenge did not ask for", async () => {
  await startWith({ parameters: { SS_AUTHCHALLENGEMODE: 2 }, mappingGateways: [ALICE] });
  const client = await open();
  const { response } = await client.send("REGISTER", "alice");
  expect(statusLine(response)).toBe("407 Proxy Authentication Required");
  const answer = { challenge: readChallenges(response!)[0], username: "alice", password: PASSWORD, otherHeader: true };
  expect(statusLine((await client.send("REGISTER", "alice", { answer })).response)).toBe("200 OK");
});

test("a correct password registers with sipp; the binding shows sipp's contact and is removed through the control API", async () => {
  await startWith({ parameters: { SS_AUTHCHALLENGEMODE: 1 }, mappingGateways: [ALICE] });
  const run = await runSipp({ scenario: "register-401.xml", serverPort: engine.sipPort, users: [["alice", PASSWORD]] });
  expect(run.exitCode, run.errors).toBe(0);
  const contact = `sip:alice@127.0.0.1:${run.localPort};transport=UDP`;
  expect((await registrations()).bindings).toMatchObject([{ accountId: "id-alice", uri: contact }]);

  const removal = await engine.control(`/v1/registrations?accountId=id-alice&contact=${encodeURIComponent(contact)}`, {
    method: "DELETE",
  });
  expect(removal).toMatchObject({ status: 200, body: { removed: 1 } });
  expect(await registrations()).toEqual({ total: 0, bindings: [] });
});

test("bindings are still listed after an engine restart", async () => {
  await startWith({ mappingGateways: [ALICE] });
  const client = await open();
  const challenge = readChallenges((await client.send("REGISTER", "alice")).response!)[0];
  expect(
    statusLine(
      (await client.send("REGISTER", "alice", { answer: { challenge, username: "alice", password: PASSWORD } }))
        .response,
    ),
  ).toBe("200 OK");
  const before = (await registrations()).bindings;
  expect(before).toHaveLength(1);

  expect(await engine.stop("SIGTERM")).toBe(0);
  engine = await startEngineProcess({ dataDir: engine.dataDir });
  expect((await registrations()).bindings).toEqual(before);
});

test("a wrong password is challenged again; after SS_AUTHENTICATION_MAX_RETRY failures the source is suspended until lifted", async () => {
  await startWith({
    parameters: { SS_AUTHCHALLENGEMODE: 1, SS_AUTHENTICATION_MAX_RETRY: 3 },
    mappingGateways: [ALICE],
  });
  const client = await open();
  let { response } = await client.send("REGISTER", "alice");
  const sent: string[] = [];
  for (let failure = 1; failure <= 3; failure++) {
    expect(statusLine(response)).toBe("401 Unauthorized");
    const attempt = await client.send("REGISTER", "alice", {
      answer: { challenge: readChallenges(response!)[0], username: "alice", password: "wr0ng-guess" },
    });
    sent.push(responseValueOf(attempt.credentials!));
    response = attempt.response;
  }
  // The third failure suspends 127.0.0.1: that answer and everything after it get silence.
  expect(statusLine(response)).toBe("no answer");
  for (const method of ["REGISTER", "OPTIONS", "CANCEL"])
    expect(statusLine((await client.send(method, "alice", { waitMs: 500 })).response), method).toBe("no answer");
  expect((await engine.control("/v1/suspensions")).body.items).toMatchObject([
    { source: "127.0.0.1", failures: 3, lastUsername: "alice" },
  ]);

  const failureLine = `auth-failure source=127.0.0.1:${client.localPort} username="alice" reason=wrong-credentials`;
  await expect
    .poll(
      () =>
        engine
          .log()
          .split("\n")
          .filter((l) => l === failureLine).length,
    )
    .toBe(3);
  for (const secret of ["wr0ng-guess", PASSWORD, ...sent]) expect(engine.log()).not.toContain(secret);

  expect((await engine.control("/v1/suspensions?source=127.0.0.1", { method: "DELETE" })).body).toEqual({
    lifted: true,
  });
  expect((await engine.control("/v1/suspensions")).body.items).toEqual([]);
  expect(statusLine((await client.send("REGISTER", "alice")).response)).toBe("401 Unauthorized");
});

test("an IP gateway is accepted unchallenged: REGISTER 200 without a binding, INVITE reaches routing", async () => {
  await startWith({ mappingGateways: [ipGateway("pbx", "127.0.0.1"), ALICE] });
  const client = await open();
  const register = (await client.send("REGISTER", "pbx")).response;
  expect(statusLine(register)).toBe("200 OK");
  expect(readChallenges(register!)).toEqual([]);
  expect(statusLine((await client.send("INVITE", "pbx")).response)).toBe("404 No Route");
  expect((await registrations()).total).toBe(0);
  // Its "last seen", for the gateway list: where the accepted request came from.
  const activity = (await engine.control("/v1/activity")).body;
  expect(Object.values(activity)).toEqual([
    expect.objectContaining({ address: "127.0.0.1", port: client.localPort, transport: "udp" }),
  ]);
});

test("an IP+Port gateway is accepted from its port and refused with 403 from another", async () => {
  engine = await startEngineProcess();
  const trunk = await open(); // its socket's port is the one configured
  await applyConfig(engine, { mappingGateways: [ipPortGateway("trunk", "127.0.0.1", trunk.localPort)] });
  expect(statusLine((await trunk.send("INVITE", "trunk")).response)).toBe("404 No Route");
  const stranger = await open();
  expect(statusLine((await stranger.send("INVITE", "trunk")).response)).toBe("403 Forbidden");
});

test("ACK and CANCEL are never challenged: a CANCEL for no transaction gets 481, an ACK nothing", async () => {
  await startWith({ parameters: { SS_AUTHCHALLENGEMODE: 2 }, mappingGateways: [ALICE] });
  const client = await open();
  expect(statusLine((await client.send("BYE", "alice")).response)).toBe("407 Proxy Authentication Required");
  expect(statusLine((await client.send("CANCEL", "alice")).response)).toBe("481 Call/Transaction Does Not Exist");
  expect(statusLine((await client.send("ACK", "alice", { waitMs: 500 })).response)).toBe("no answer");
  const trace = (await engine.control(`/v1/trace?callId=${encodeURIComponent(client.callId)}`)).body.items as Array<{
    direction: string;
    method: string | null;
    status: number | null;
  }>;
  expect(trace.map((r) => [r.direction, r.method ?? r.status])).toEqual([
    ["in", "BYE"],
    ["out", 407],
    ["in", "CANCEL"],
    ["out", 481],
    ["in", "ACK"],
  ]);
});
