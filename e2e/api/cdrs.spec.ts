import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "../helpers/processes";
import Database from "better-sqlite3";
import path from "node:path";
import { createToken, sessionClient, tokenClient } from "../helpers/api";
import { reloadConsole } from "../helpers/console-config";
import { freeSipPort, runSipp } from "../helpers/sipp";

// Call records end to end: a real sipp call through the console's own engine, imported by the
// console, queried, totalled and exported; re-importing from an old cursor doubles nothing.

let api: APIRequestContext;
const sipPort = () => Number(process.env.E2E_SIP_PORT);

test.beforeAll(async () => {
  api = await tokenClient(await createToken(await sessionClient(), `cdr-robot-${Date.now()}`, "operator"));
});

async function reload() {
  expect((await reloadConsole(api)).outcome).toBe("applied");
}

test("a call through the console's engine becomes one call record, queried, totalled, exported as CSV, imported once", async ({
  processes,
}) => {
  const [callerPort] = [await freeSipPort()];
  const carrier = await processes.sipp({ scenario: "carrier-answer.xml", timeoutSeconds: 30 });
  expect(
    (
      await api.post("/api/v1/mapping-gateways", {
        data: { name: "cdr-pbx", authMode: "ip-port", ipAddresses: ["127.0.0.1"], port: callerPort },
      })
    ).status(),
  ).toBe(201);
  expect(
    (
      await api.post("/api/v1/routing-gateways", {
        data: { name: "cdr-carrier", address: "127.0.0.1", port: carrier.localPort, prefixes: ["0049"] },
      })
    ).status(),
  ).toBe(201);
  await reload();
  // A debug trace on the callee's number runs during the call: its record then links to the ladder.
  const trace = await (await api.post("/api/v1/traces", { data: { minutes: 1, number: "004930123" } })).json();

  const call = await runSipp({
    scenario: "call-uac.xml",
    serverPort: sipPort(),
    localPort: callerPort,
    service: "004930123",
    timeoutSeconds: 15,
  });
  expect(call.exitCode, call.errors).toBe(0);
  expect((await carrier.done).exitCode).toBe(0);

  let page:
    | { total: number; items: Array<Record<string, unknown>>; totals: { calls: number; answered: number; asr: number } }
    | undefined;
  await expect
    .poll(async () => (page = await (await api.get("/api/v1/cdrs?callee=004930123")).json()).total, { timeout: 15_000 })
    .toBe(1);
  expect(page!.items[0]).toMatchObject({
    calleeReceived: "004930123",
    mappingGatewayName: "cdr-pbx",
    routingGatewayName: "cdr-carrier",
    finalCode: 200,
    endedBy: "caller",
    illegal: false,
  });
  expect(page!.totals).toMatchObject({ calls: 1, answered: 1, asr: 1 });
  expect(page!.items[0].traced).toBe(true);
  const ladder = await (
    await api.get(`/api/v1/trace-calls/${encodeURIComponent(String(page!.items[0].callId))}`)
  ).json();
  expect(ladder.source).toBe("trace");
  expect(
    ladder.messages
      .filter((m: { direction: string }) => m.direction === "in")
      .map((m: { method: string | null; cseqMethod: string }) => m.method ?? m.cseqMethod),
  ).toEqual(["INVITE", "ACK", "BYE"]);
  expect((await api.delete(`/api/v1/traces/${trace.id}`)).status()).toBe(200);

  const csv = await (await api.get("/api/v1/cdrs?callee=004930123", { headers: { accept: "text/csv" } })).text();
  const lines = csv.trim().split("\n");
  expect(lines).toHaveLength(2);
  expect(lines[0]).toContain("startedAt,answeredAt,endedAt,holdSeconds,callerReceived,calleeReceived");
  expect(lines[1]).toContain(String(page!.items[0].callId));

  // As if the console had stopped mid-import: its cursor goes back, the records are fetched again.
  const database = new Database(path.join(process.env.E2E_DIR!, "data", "app.db"));
  database.prepare("UPDATE CdrCursor SET lastSeq = 0").run();
  await expect
    .poll(() => (database.prepare("SELECT MIN(lastSeq) AS seq FROM CdrCursor").get() as { seq: number }).seq, {
      timeout: 15_000,
    })
    .toBeGreaterThan(0);
  database.close();
  expect((await (await api.get("/api/v1/cdrs?callee=004930123")).json()).total).toBe(1);
  expect((await (await api.get("/api/v1/call-stats")).json()).routing).toHaveProperty(
    String((await (await api.get("/api/v1/routing-gateways?search=cdr-carrier")).json()).items[0].id),
  );
});
