import { expect, test, type APIRequestContext } from "@playwright/test";
import { createToken, sessionClient, tokenClient } from "../helpers/api";
import { reloadConsole } from "../helpers/console-config";

// Route and auth simulator over the REST API: a dry run against what the engine runs and against
// what a reload would push.

let api: APIRequestContext;
let viewer: APIRequestContext;
const stamp = Date.now();
// Names, an address and a prefix of our own: every spec shares one console.
const address = `198.18.${Math.floor(stamp / 250) % 250}.${(stamp % 250) + 1}`;
const port = 20000 + (stamp % 10000);
const prefix = `9${String(stamp).slice(-7)}`;
const callee = `${prefix}4567`;
const created: Array<{ kind: "mapping-gateways" | "routing-gateways"; id: string }> = [];

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  const admin = await sessionClient();
  api = await tokenClient(await createToken(admin, `simulator-robot-${stamp}`, "operator"));
  viewer = await tokenClient(await createToken(admin, `simulator-viewer-${stamp}`, "viewer"));
});

test.afterAll(async () => {
  // Leave nothing pending for the specs that follow
  for (const g of created) await api.delete(`/api/v1/${g.kind}/${g.id}`);
  if (created.length > 0) await reloadConsole(api);
});

const simulate = (data: unknown) => viewer.post("/api/v1/simulate", { data });

test("bad input is refused with a precise message per field", async () => {
  const cases: Array<[unknown, string]> = [
    [
      { sourceAddress: "10.0.0", sourcePort: 5060, caller: "1000", callee: "44" },
      'sourceAddress: "10.0.0" is not an IPv4 or IPv6 address',
    ],
    [
      { sourceAddress: "192.0.2.1", sourcePort: 70000, caller: "1000", callee: "44" },
      "sourcePort: sourcePort must be a whole number from 1 to 65535",
    ],
    [
      { sourceAddress: "192.0.2.1", sourcePort: 5060, caller: "1000", callee: "44x" },
      "callee: callee must be 1 to 32 digits, optionally with a leading +",
    ],
    [
      { sourceAddress: "192.0.2.1", sourcePort: 5060, caller: "1000", callee: "44", method: "OPTIONS" },
      "method: method must be INVITE or REGISTER",
    ],
    [
      { sourceAddress: "192.0.2.1", sourcePort: 5060, caller: "1000", callee: "44", transport: "sctp" },
      "transport: transport must be udp or tcp",
    ],
  ];
  for (const [body, message] of cases) {
    const response = await simulate(body);
    expect(response.status(), await response.text()).toBe(400);
    expect((await response.json()).error.message).toBe(message);
  }
});

test("after a reload, the running configuration identifies the IP+Port gateway and routes by the carrier's prefix", async () => {
  const mapping = await api.post("/api/v1/mapping-gateways", {
    data: {
      name: `sim-pbx-${stamp}`,
      authMode: "ip-port",
      ipAddresses: [address],
      port,
      calleeRewrite: { strip: 0, prefix: "" },
      callerRewrite: { strip: 0, prefix: "+" },
    },
  });
  expect(mapping.status(), await mapping.text()).toBe(201);
  const pbx = await mapping.json();
  created.push({ kind: "mapping-gateways", id: pbx.id });
  const routing = await api.post("/api/v1/routing-gateways", {
    data: {
      name: `sim-carrier-${stamp}`,
      kind: "static",
      address: "203.0.113.77",
      port: 5080,
      prefixes: [prefix],
      priority: 7,
      calleeRewrite: { strip: 1, prefix: "" },
    },
  });
  expect(routing.status(), await routing.text()).toBe(201);
  const carrier = await routing.json();
  created.push({ kind: "routing-gateways", id: carrier.id });
  expect((await reloadConsole(api)).outcome).toBe("applied");

  const response = await simulate({
    sourceAddress: address,
    sourcePort: port,
    transport: "udp",
    caller: "1000",
    callee,
  });
  expect(response.status(), await response.text()).toBe(200);
  const result = await response.json();
  expect(result.request).toMatchObject({
    sourceAddress: address,
    sourcePort: port,
    method: "INVITE",
    digestUsername: null,
  });
  const running = result.running;
  expect(running.identification).toMatchObject({ by: "ip-port", gateway: { id: pbx.id, name: pbx.name } });
  expect(running.challenge).toBeNull();
  expect(running.outcome).toMatchObject({ kind: "routed" });
  expect(running.rewrites.caller).toMatchObject({ received: "1000", afterMapping: "+1000" });
  expect(running.rewrites.callee).toMatchObject({ received: callee, afterMapping: callee });
  expect(running.routes[0]).toMatchObject({
    order: 1,
    id: carrier.id,
    matchedPrefix: prefix,
    priority: 7,
    callee: callee.slice(1),
    caller: "+1000",
    target: "udp:203.0.113.77:5080",
  });
  expect(running.steps.length).toBeGreaterThan(3);
  // Nothing pending for this request: the same verdict on both sides
  expect(result.pending.routes[0].id).toBe(carrier.id);
  expect(result.differences).toEqual([]);

  // Another port on the same address identifies nobody: refused or ignored as the parameters say
  const stranger = await (
    await simulate({ sourceAddress: address, sourcePort: port + 1, caller: "1000", callee })
  ).json();
  expect(stranger.running.identification.by).not.toBe("ip-port");
  expect(stranger.running.identification.text).toContain(
    `${pbx.name} (port ${port}) has this address on another port only`,
  );
});

test("a pending prefix change shows against the running configuration until a reload", async () => {
  const carrierId = created.find((g) => g.kind === "routing-gateways")!.id;
  const carrier = await (await api.get(`/api/v1/routing-gateways/${carrierId}`)).json();
  const changed = await api.patch(`/api/v1/routing-gateways/${carrierId}`, {
    data: { version: carrier.version, prefixes: [`${prefix}0`] },
  });
  expect(changed.status(), await changed.text()).toBe(200);

  const result = await (await simulate({ sourceAddress: address, sourcePort: port, caller: "1000", callee })).json();
  expect(result.pendingChanges).toBeGreaterThan(0);
  expect(result.running.routes[0]).toMatchObject({ id: carrierId, matchedPrefix: prefix });
  expect(result.pending.routes.map((r: { id: string }) => r.id)).not.toContain(carrierId);
  expect(result.pending.skipped).toContainEqual(
    expect.objectContaining({ id: carrierId, text: `callee ${callee} starts with none of its prefixes (${prefix}0).` }),
  );
  expect(result.differences).toContain("routes");
});
