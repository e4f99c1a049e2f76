import { expect, test, type APIRequestContext } from "@playwright/test";
import { spawnSync } from "node:child_process";
import dgram from "node:dgram";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createToken, sessionClient, tokenClient } from "../helpers/api";

// Debug trace and metrics over the REST API, against the console's own engine with real UDP.

let api: APIRequestContext;
let viewer: APIRequestContext;
const sipPort = () => Number(process.env.E2E_SIP_PORT);

test.beforeAll(async () => {
  const admin = await sessionClient();
  api = await tokenClient(await createToken(admin, `trace-robot-${Date.now()}`, "operator"));
  viewer = await tokenClient(await createToken(admin, `trace-viewer-${Date.now()}`, "viewer"));
});

/** One OPTIONS datagram from 127.0.0.1 with a Call-ID of our choosing; the engine answers it. */
async function sendOptions(callId: string): Promise<string> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const port = socket.address().port;
  const message = [
    `OPTIONS sip:127.0.0.1:${sipPort()} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${callId}`,
    "Max-Forwards: 70",
    `From: <sip:trace-probe@127.0.0.1>;tag=t1`,
    `To: <sip:4930555@127.0.0.1>`,
    `Call-ID: ${callId}`,
    "CSeq: 1 OPTIONS",
    "Content-Length: 0",
    "",
    "",
  ].join("\r\n");
  const answer = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no answer to OPTIONS")), 5000);
    socket.once("message", (bytes) => {
      clearTimeout(timer);
      resolve(bytes.toString("latin1"));
    });
  });
  socket.send(message, sipPort(), "127.0.0.1");
  try {
    return await answer;
  } finally {
    socket.close();
  }
}

test("starting a trace refuses bad input with a precise message, and viewers cannot start one", async () => {
  const cases: Array<[unknown, string]> = [
    [{ minutes: 0 }, "minutes: A trace runs for at least 1 minute"],
    [{ minutes: 5, address: "10.0.0" }, 'address: "10.0.0" is not an IPv4 or IPv6 address'],
    [{ minutes: 5, mappingGatewayId: "nope" }, "No mapping gateway nope"],
  ];
  for (const [body, message] of cases) {
    const response = await api.post("/api/v1/traces", { data: body });
    expect(response.status()).toBe(400);
    expect((await response.json()).error.message).toBe(message);
  }
  expect((await viewer.post("/api/v1/traces", { data: { minutes: 1 } })).status()).toBe(403);
  expect((await api.get("/api/v1/traces/no-such-trace")).status()).toBe(404);
});

test("a trace filtered by number captures an OPTIONS and its answer, exports pcap that tshark decodes, and stops", async () => {
  const started = await api.post("/api/v1/traces", { data: { minutes: 2, number: "4930555" } });
  expect(started.status(), await started.text()).toBe(201);
  const trace = await started.json();
  expect(trace).toMatchObject({ active: true, description: "number 4930555", messageCount: 0 });

  const callId = `api-trace-${Date.now()}`;
  const answer = await sendOptions(callId);
  expect(answer).toMatch(/^SIP\/2\.0 \d{3} /);
  await expect
    .poll(async () => (await (await api.get(`/api/v1/traces/${trace.id}`)).json()).messages.length, { timeout: 10_000 })
    .toBe(2);
  const { messages } = await (await api.get(`/api/v1/traces/${trace.id}`)).json();
  expect(
    messages.map((m: { direction: string; method: string | null; cseqMethod: string; callId: string }) => [
      m.direction,
      m.method,
      m.cseqMethod,
      m.callId,
    ]),
  ).toEqual([
    ["in", "OPTIONS", "OPTIONS", callId],
    ["out", null, "OPTIONS", callId],
  ]);
  expect((await (await api.get(`/api/v1/traces/${trace.id}?after=${messages[0].id}`)).json()).messages).toHaveLength(1);

  // By Call-ID, for a script or the CDR link
  const byCall = await (await viewer.get(`/api/v1/trace-calls/${encodeURIComponent(callId)}`)).json();
  expect(byCall).toMatchObject({ callId, source: "trace" });
  expect(byCall.messages).toHaveLength(2);

  const text = await (await viewer.get(`/api/v1/traces/${trace.id}/export?format=text`)).text();
  expect(text).toContain(`Call-ID: ${callId}`);
  expect(text).toMatch(/UDP 127\.0\.0\.1:\d+ -> [\d.]+:\d+\nOPTIONS sip:/);
  const pcap = await viewer.get(`/api/v1/traces/${trace.id}/export?format=pcap`);
  expect(pcap.headers()["content-type"]).toBe("application/vnd.tcpdump.pcap");
  const file = path.join(mkdtempSync(path.join(tmpdir(), "ssc-pcap-")), "trace.pcap");
  writeFileSync(file, await pcap.body());
  const tshark = spawnSync(
    "tshark",
    ["-r", file, "-Y", "sip", "-T", "fields", "-e", "sip.Method", "-e", "sip.CSeq.method", "-e", "sip.Call-ID"],
    { encoding: "utf8" },
  );
  expect(tshark.status, tshark.stderr).toBe(0);
  expect(
    tshark.stdout
      .trim()
      .split("\n")
      .map((l) => l.split("\t")),
  ).toEqual([
    ["OPTIONS", "OPTIONS", callId],
    ["", "OPTIONS", callId],
  ]);
  expect((await viewer.get(`/api/v1/traces/${trace.id}/export?format=zip`)).status()).toBe(400);

  expect((await viewer.delete(`/api/v1/traces/${trace.id}`)).status()).toBe(403);
  const stopped = await api.delete(`/api/v1/traces/${trace.id}`);
  expect(stopped.status()).toBe(200);
  expect(await stopped.json()).toMatchObject({ active: false, messageCount: 2 });
  expect((await api.delete(`/api/v1/traces/${trace.id}`)).status()).toBe(409);
  // Stopped: what happens next is not captured
  await sendOptions(`${callId}-after`);
  await new Promise((r) => setTimeout(r, 1500));
  expect((await (await api.get(`/api/v1/traces/${trace.id}`)).json()).messages).toHaveLength(2);
});

test("a Call-ID no trace captured is read from the engine's recent ring", async () => {
  const callId = `ring-only-${Date.now()}`;
  await sendOptions(callId);
  const byCall = await (await viewer.get(`/api/v1/trace-calls/${encodeURIComponent(callId)}`)).json();
  expect(byCall.source).toBe("engine");
  expect(byCall.messages.map((m: { direction: string }) => m.direction)).toEqual(["in", "out"]);
});

test("one Prometheus endpoint serves the console's metrics and the engine's", async () => {
  const response = await viewer.get("/api/v1/metrics");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/plain");
  const text = await response.text();
  expect(text).toMatch(/^console_http_responses_total\{code="200"\} [1-9]\d*$/m);
  expect(text).toMatch(/^console_reload_duration_seconds_count \d+$/m);
  expect(text).toMatch(/^console_engines_up 1$/m);
  expect(text).toMatch(/^sip_requests_received_total\{method="OPTIONS"\} [1-9]\d*$/m);
  expect(text).toMatch(/^engine_registrations \d+$/m);
  expect(text).toMatch(/^engine_suspended_sources \d+$/m);
});
