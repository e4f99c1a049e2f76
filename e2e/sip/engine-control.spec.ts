import { expect, test } from "../helpers/processes";
import { defaultParameterValues } from "../../lib/domain/parameter-catalog";
import type { ConfigSnapshot } from "../../lib/domain/config-snapshot";
import { hashSnapshotContent } from "../../lib/engine/snapshot-check";
import { canonicalContentWithTexts, snapshotDeltaJson } from "../../lib/domain/snapshot-delta";
import { options, udpExchange } from "../helpers/sip-wire";
import { statSync } from "node:fs";
import path from "node:path";

function gateway(name: string, ip: string) {
  return {
    id: `id-${name}`,
    version: 1,
    name,
    enabled: true,
    locked: false,
    authMode: "ip" as const,
    ipAddresses: [ip],
    port: null,
    digestUsername: name,
    ha1Md5: null,
    ha1Sha256: null,
    capacity: 0,
    priority: 0,
    calleeAllowPrefixes: [],
    calleeDenyPrefixes: [],
    callerRewrite: { strip: 0, prefix: "" },
    calleeRewrite: { strip: 0, prefix: "" },
    routingGroups: [],
    replyAddress: "source" as const,
  };
}

function snapshot(
  version: number,
  overrides: Partial<Pick<ConfigSnapshot, "parameters" | "mappingGateways">> = {},
): ConfigSnapshot {
  const content = {
    parameters: { ...defaultParameterValues(), ...overrides.parameters },
    mappingGateways: overrides.mappingGateways ?? [],
    routingGateways: [],
  };
  return { version, hash: hashSnapshotContent(content), createdAt: new Date().toISOString(), ...content };
}

const invite = (callId: string) =>
  Buffer.from(
    [
      `INVITE sip:100@127.0.0.1 SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:5998;branch=z9hG4bK-${callId}`,
      "From: <sip:a@127.0.0.1>;tag=a",
      "To: <sip:100@127.0.0.1>",
      `Call-ID: ${callId}`,
      "CSeq: 1 INVITE",
      "Max-Forwards: 70",
      "Contact: <sip:a@127.0.0.1:5998>",
      "Content-Length: 0",
      "",
      "",
    ].join("\r\n"),
    "latin1",
  );

test("the control API refuses requests without the engine's token", async ({ processes }) => {
  const engine = await processes.engine();
  const response = await fetch(`http://127.0.0.1:${engine.controlPort}/v1/status`);
  expect(response.status).toBe(401);
  expect(statSync(path.join(engine.dataDir, "control-token")).mode & 0o777).toBe(0o600);
  await engine.stop();
});

test("a snapshot is applied, read back in status, changes behaviour, and survives a restart", async ({ processes }) => {
  const engine = await processes.engine();
  expect((await engine.control("/v1/status")).body).toMatchObject({ version: 0, appliedAt: null });
  expect(await udpExchange(invite("before"), engine.sipPort)).toBe("SIP/2.0 403 Forbidden");

  const v1 = snapshot(1, { parameters: { SS_REPLY_UNAUTHORIZED: false } });
  const applied = await engine.control("/v1/snapshot", { method: "PUT", body: v1 });
  expect(applied.status).toBe(200);
  expect(applied.body).toMatchObject({ ok: true, version: 1, hash: v1.hash });
  const status = (await engine.control("/v1/status")).body;
  expect(status).toMatchObject({ version: 1, hash: v1.hash });
  expect(status.listeners).toEqual([
    { transport: "udp", host: "127.0.0.1", port: engine.sipPort },
    { transport: "tcp", host: "127.0.0.1", port: engine.sipPort },
  ]);
  // SS_REPLY_UNAUTHORIZED off: strangers get silence.
  expect(await udpExchange(invite("after"), engine.sipPort)).toBeNull();
  expect(statSync(path.join(engine.dataDir, "active-snapshot.json")).mode & 0o777).toBe(0o600);

  expect(await engine.stop("SIGTERM")).toBe(0);
  expect(engine.log()).toContain("engine: SIGTERM, stopping");
  const restarted = await processes.engine({ dataDir: engine.dataDir });
  expect((await restarted.control("/v1/status")).body).toMatchObject({
    version: 1,
    hash: v1.hash,
    appliedAt: applied.body.appliedAt,
  });
  expect(await udpExchange(invite("restarted"), restarted.sipPort)).toBeNull();
  await restarted.stop();
});

test("a bad snapshot is refused with reasons and nothing changes", async ({ processes }) => {
  const engine = await processes.engine();
  const good = snapshot(1, { mappingGateways: [gateway("pbx-a", "192.0.2.1")] });
  expect((await engine.control("/v1/snapshot", { method: "PUT", body: good })).status).toBe(200);

  const refusals: Array<[unknown, string]> = [
    [snapshot(1), "version 1 is not above the running version 1"],
    [{ ...snapshot(2), hash: "0".repeat(64) }, "hash does not match the content"],
    [
      snapshot(2, { parameters: { SS_AUTHCHALLENGEMODE: 4 } }),
      "parameters.SS_AUTHCHALLENGEMODE: SS_AUTHCHALLENGEMODE must be 1, 2 or 3",
    ],
    [
      snapshot(2, { mappingGateways: [gateway("pbx-a", "192.0.2.1"), gateway("pbx-b", "192.0.2.1")] }),
      'mapping gateways "pbx-a" and "pbx-b" both claim source 192.0.2.1',
    ],
    [{ version: 2 }, "parameters"],
  ];
  for (const [body, reason] of refusals) {
    const response = await engine.control("/v1/snapshot", { method: "PUT", body });
    expect(response.status).toBe(422);
    expect(response.body.ok).toBe(false);
    expect(response.body.reasons.join("\n")).toContain(reason);
  }
  expect((await engine.control("/v1/status")).body).toMatchObject({ version: 1, hash: good.hash });
  expect(await udpExchange(options("still-alive"), engine.sipPort)).toBe("SIP/2.0 200 OK");
  await engine.stop();
});

test("a snapshot sent as a difference is applied whole, refused on another base, and survives a restart", async ({
  processes,
}) => {
  const engine = await processes.engine();
  const v1 = snapshot(1, { mappingGateways: [gateway("pbx-a", "192.0.2.1"), gateway("pbx-b", "192.0.2.2")] });
  expect((await engine.control("/v1/snapshot", { method: "PUT", body: v1 })).status).toBe(200);
  const base = { version: v1.version, hash: v1.hash, texts: canonicalContentWithTexts(v1).texts };
  const patch = (json: string) => engine.control("/v1/snapshot", { method: "PATCH", body: JSON.parse(json) });

  // pbx-a changes address, pbx-b stays as it runs, pbx-c is new.
  const v2 = snapshot(2, {
    parameters: { SS_REPLY_UNAUTHORIZED: false },
    mappingGateways: [gateway("pbx-a", "192.0.2.9"), gateway("pbx-b", "192.0.2.2"), gateway("pbx-c", "127.0.0.1")],
  });
  const delta = snapshotDeltaJson(v2, canonicalContentWithTexts(v2).texts, base);
  expect((JSON.parse(delta) as { mappingGateways: Array<{ id: string }> }).mappingGateways.map((g) => g.id)).toEqual([
    "id-pbx-a",
    "id-pbx-c",
  ]);
  const applied = await patch(delta);
  expect(applied.status).toBe(200);
  expect(applied.body).toMatchObject({ ok: true, version: 2, hash: v2.hash });
  expect(engine.log()).toContain("sent as a difference");
  // pbx-c's address is 127.0.0.1: its INVITE is no stranger's (those get silence now) and finds no route.
  expect(await udpExchange(invite("by-pbx-c"), engine.sipPort)).toBe("SIP/2.0 404 No Route");

  const v3 = snapshot(3, { mappingGateways: [gateway("pbx-b", "192.0.2.2")] });
  const stale = await patch(snapshotDeltaJson(v3, canonicalContentWithTexts(v3).texts, base));
  expect(stale.status).toBe(422);
  expect(stale.body.reasons).toEqual([
    `the difference was built on version 1 (${v1.hash.slice(0, 12)}), but the engine runs version 2 (${v2.hash.slice(0, 12)}): send the whole snapshot`,
  ]);
  expect((await engine.control("/v1/status")).body).toMatchObject({ version: 2, hash: v2.hash });

  // Written whole to disk although it arrived as a difference.
  expect(await engine.stop("SIGTERM")).toBe(0);
  const restarted = await processes.engine({ dataDir: engine.dataDir });
  expect((await restarted.control("/v1/status")).body).toMatchObject({
    version: 2,
    hash: v2.hash,
    appliedAt: applied.body.appliedAt,
  });
  expect(await udpExchange(invite("by-pbx-c-again"), restarted.sipPort)).toBe("SIP/2.0 404 No Route");
  await restarted.stop();
});

test("trace: messages in and out are kept and queryable by Call-ID, method and address", async ({ processes }) => {
  const engine = await processes.engine();
  await udpExchange(options("trace-me"), engine.sipPort);
  const { body } = await engine.control("/v1/trace?callId=trace-me");
  expect(
    body.items.map((r: { direction: string; method: string | null; status: number | null }) => [
      r.direction,
      r.method,
      r.status,
    ]),
  ).toEqual([
    ["in", "OPTIONS", null],
    ["out", null, 200],
  ]);
  expect((await engine.control("/v1/trace?method=OPTIONS&address=127.0.0.1")).body.items.length).toBeGreaterThanOrEqual(
    1,
  );
  const metrics = (await engine.control("/metrics")).body as string;
  expect(metrics).toContain('sip_requests_received_total{method="OPTIONS"} 1');
  expect(metrics).toContain("engine_config_version 0");
  await engine.stop();
});

test("responses carry received and rport for the client's real address (RFC 3581)", async ({ processes }) => {
  const engine = await processes.engine();
  const dgram = await import("node:dgram");
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const port = socket.address().port;
  const request = options("rport-check")
    .toString("latin1")
    .replace("127.0.0.1:5999;branch", "10.9.9.9:5060;rport;branch");
  const response = await new Promise<string>((resolve) => {
    socket.once("message", (msg) => resolve(msg.toString("latin1")));
    socket.send(Buffer.from(request, "latin1"), engine.sipPort, "127.0.0.1");
  });
  socket.close();
  expect(response).toContain(
    `Via: SIP/2.0/UDP 10.9.9.9:5060;rport=${port};branch=z9hG4bK-rport-check;received=127.0.0.1`,
  );
  await engine.stop();
});
