import { expect, test } from "@playwright/test";
import { getHeaderValues } from "../../lib/engine/sip/header-access";
import { startEngineProcess, type EngineProcess } from "../helpers/engine-process";
import { readChallenges, SipClient, type Answer } from "../helpers/sip-client";
import { applyConfig, passwordGateway } from "../helpers/snapshots";

// Digest as a phone meets it (DESIGN.md "Digest", RFC 7616, RFC 8760), with the project's own SIP
// client: stale nonces, SHA-256, nonce-count replay, uri mismatch, and answers that leak nothing.

let engine: EngineProcess;
let client: SipClient;

async function start(parameters: Record<string, string | number | boolean> = {}): Promise<void> {
  engine = await startEngineProcess();
  await applyConfig(engine, {
    parameters: { SS_AUTHCHALLENGEMODE: 1, ...parameters },
    mappingGateways: [passwordGateway("alice", "secret")],
  });
  client = await SipClient.open(engine.sipPort);
}

/** A REGISTER without credentials; its 401's first challenge. */
async function challenge(): Promise<Answer["challenge"]> {
  const { response } = await client.send("REGISTER", "alice");
  expect(response?.status).toBe(401);
  return readChallenges(response!)[0];
}

async function register(answer: Partial<Answer> & Pick<Answer, "challenge">) {
  const { response } = await client.send("REGISTER", "alice", {
    answer: { username: "alice", password: "secret", ...answer },
  });
  expect(response, "the engine answered").not.toBeNull();
  return response!;
}

test.afterEach(async () => {
  client.close();
  expect(await engine.stop()).toBe(0);
});

test("a right answer with an expired nonce is challenged again with stale=true, and a fresh answer registers", async () => {
  await start({ SS_NONCE_LIFETIME: 10 }); // the catalog's minimum
  const old = await challenge();
  // The one real wait of these tests: past the nonce lifetime.
  await new Promise((r) => setTimeout(r, 10_500));
  const stale = await register({ challenge: old });
  expect(stale.status).toBe(401);
  const [renewed] = readChallenges(stale);
  expect(renewed).toMatchObject({ stale: true, realm: "softswitch.local" });
  expect(renewed.nonce).not.toBe(old.nonce);
  expect((await register({ challenge: renewed })).status).toBe(200);
});

test("with SS_DIGEST_ALGORITHMS SHA-256,MD5 the challenge offers SHA-256 first, and an SHA-256 answer registers", async () => {
  await start({ SS_DIGEST_ALGORITHMS: "SHA-256,MD5" });
  const { response } = await client.send("REGISTER", "alice");
  expect(getHeaderValues(response!, "WWW-Authenticate")).toHaveLength(2);
  const offered = readChallenges(response!);
  expect(offered.map((c) => c.algorithm)).toEqual(["SHA-256", "MD5"]);
  const registered = await register({ challenge: offered[0], algorithm: "SHA-256" });
  expect(registered.status).toBe(200);
  expect((await engine.control("/v1/registrations")).body.bindings).toMatchObject([{ accountId: "id-alice" }]);
});

test("a nonce-count used twice is a replay and challenged again; a higher one is accepted", async () => {
  await start();
  const nonce = await challenge();
  expect((await register({ challenge: nonce, nc: 1 })).status).toBe(200);
  const replayed = await register({ challenge: nonce, nc: 1 });
  expect(replayed.status).toBe(401);
  expect(readChallenges(replayed)).toHaveLength(1);
  expect((await register({ challenge: nonce, nc: 2 })).status).toBe(200);
  await expect.poll(() => engine.log()).toContain(`username="alice" reason=replay`);
});

test("credentials whose uri is not the Request-URI get 400", async () => {
  await start();
  const mismatch = await register({ challenge: await challenge(), uri: "sip:elsewhere.example.com" });
  expect(mismatch.status).toBe(400);
  expect(readChallenges(mismatch)).toEqual([]);
});

test("an unknown user and a wrong password get the same answer", async () => {
  await start();
  const unknown = await client.send("REGISTER", "mallory", {
    answer: { challenge: await challenge(), username: "mallory", password: "secret" },
  });
  const wrong = await register({ challenge: await challenge(), password: "not-the-password" });
  const shape = (r: NonNullable<typeof unknown.response>) => ({
    status: r.status,
    reason: r.reason,
    headers: r.headers.map((h) => h.name),
  });
  expect(unknown.response).not.toBeNull();
  expect(shape(unknown.response!)).toEqual(shape(wrong));
  expect(shape(wrong)).toMatchObject({ status: 401, reason: "Unauthorized" });
  expect(readChallenges(unknown.response!)[0]).toMatchObject({ stale: false, algorithm: "MD5" });
});
