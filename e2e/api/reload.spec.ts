import { expect, test, type APIRequestContext } from "@playwright/test";
import { createToken, sessionClient, tokenClient } from "../helpers/api";
import { reloadConsole } from "../helpers/console-config";

let api: APIRequestContext;
test.beforeAll(async () => {
  api = await tokenClient(await createToken(await sessionClient(), `reload-robot-${Date.now()}`, "operator"));
});

const reload = () => reloadConsole(api);

const engineVersion = async () => (await (await api.get("/api/v1/engine")).json()).engines[0].version;
const pendingCount = async () => (await (await api.get("/api/v1/pending")).json()).count;

test.describe.configure({ mode: "serial" });

test("the pending diff names each change field by field, secrets only as changed", async () => {
  const mode = await (await api.get("/api/v1/parameters/SS_AUTHCHALLENGEMODE")).json();
  expect(
    (
      await api.patch("/api/v1/parameters/SS_AUTHCHALLENGEMODE", { data: { value: 1, version: mode.version } })
    ).status(),
  ).toBe(200);
  expect(
    (
      await api.post("/api/v1/mapping-gateways", {
        data: { name: "reload-phone", authMode: "password", password: "Reload-Secret-1" },
      })
    ).status(),
  ).toBe(201);
  const { items } = await (await api.get("/api/v1/pending/changes")).json();
  expect(items).toContainEqual({
    entity: "parameter",
    action: "changed",
    id: "SS_AUTHCHALLENGEMODE",
    name: "SS_AUTHCHALLENGEMODE",
    fields: [{ field: "value", from: 2, to: 1 }],
  });
  const added = items.find((c: { name: string }) => c.name === "reload-phone");
  expect(added.action).toBe("added");
  expect(added.fields).toContainEqual({ field: "password", from: "none", to: "(changed)" });
  expect(JSON.stringify(items)).not.toContain("Reload-Secret-1");
  expect(JSON.stringify(items)).not.toContain("v1:");
});

test("reload applies everything pending as one new version that the engine runs", async () => {
  const before = await engineVersion();
  const job = await reload();
  expect(job.outcome).toBe("applied");
  expect(job.version).toBeGreaterThan(before);
  expect(job.reasons).toEqual([]);
  console.log(`reload: version ${job.version}, ${job.changes} changes, ${job.tookMs} ms end to end`);
  expect(await engineVersion()).toBe(job.version);
  expect(await pendingCount()).toBe(0);
  expect((await (await api.get("/api/v1/parameters/SS_AUTHCHALLENGEMODE")).json()).active).toBe(1);
  const history = await (await api.get("/api/v1/snapshots")).json();
  expect(history.items[0]).toMatchObject({ version: job.version, outcome: "applied" });
  expect(history.items[0].createdBy).toMatch(/^token:reload-robot/);
  const detail = await (await api.get(`/api/v1/snapshots/${job.version}`)).json();
  expect(detail.changes.map((c: { name: string }) => c.name)).toContain("SS_AUTHCHALLENGEMODE");
  // Nothing pending and the engine current: a second reload has nothing to do.
  expect((await reload()).outcome).toBe("up-to-date");
});

test("a reload after an applied one sends the engine only the difference, and the engine runs the whole", async () => {
  const { items } = await (await api.get("/api/v1/mapping-gateways?search=reload-phone")).json();
  const phone = items.find((g: { name: string }) => g.name === "reload-phone");
  expect(
    (
      await api.patch(`/api/v1/mapping-gateways/${phone.id}`, {
        data: { priority: phone.priority + 1, version: phone.version },
      })
    ).status(),
  ).toBe(200);
  const job = await reload();
  expect(job).toMatchObject({ outcome: "applied", changes: 1, sentAs: ["difference"], reasons: [] });
  const engine = (await (await api.get("/api/v1/engine")).json()).engines[0];
  expect(engine).toMatchObject({ version: job.version, hash: job.hash });
  expect(await pendingCount()).toBe(0);
});

test("discard puts the saved configuration back to what runs, audited", async () => {
  const mode = await (await api.get("/api/v1/parameters/SS_AUTHCHALLENGEMODE")).json();
  await api.patch("/api/v1/parameters/SS_AUTHCHALLENGEMODE", { data: { value: 3, version: mode.version } });
  await api.post("/api/v1/routing-gateways", { data: { name: "discard-me", address: "10.50.0.1" } });
  expect(await pendingCount()).toBe(2);
  expect(await (await api.post("/api/v1/pending/discard")).json()).toEqual({ changes: 2 });
  expect(await pendingCount()).toBe(0);
  expect((await (await api.get("/api/v1/parameters/SS_AUTHCHALLENGEMODE")).json()).value).toBe(1);
  const audit = await (await api.get("/api/v1/audit?action=config.discard")).json();
  expect(audit.items[0].after).toMatchObject({ changes: 2 });
});

test("export with encrypted passwords, import as pending edits; a wrong passphrase or a bad file changes nothing", async () => {
  const version = await engineVersion();
  const exported = await api.post(`/api/v1/snapshots/${version}/export`, {
    data: { secrets: "encrypted", passphrase: "correct horse battery staple" },
  });
  expect(exported.status()).toBe(200);
  const file = await exported.json();
  expect(JSON.stringify(file)).not.toContain("Reload-Secret-1");
  expect(file.mappingGateways.find((g: { name: string }) => g.name === "reload-phone").password).toHaveProperty("data");

  const gw = (await (await api.get("/api/v1/mapping-gateways?search=reload-phone")).json()).items[0];
  await api.delete(`/api/v1/mapping-gateways/${gw.id}`);
  expect(await pendingCount()).toBe(1);

  const wrong = await api.post("/api/v1/snapshots/import", { data: { file, passphrase: "not the passphrase" } });
  expect(wrong.status()).toBe(400);
  expect((await wrong.json()).error.issues[0].message).toBe("the passphrase is wrong or the file was altered");
  const junk = await api.post("/api/v1/snapshots/import", { data: { file: { hello: "world" } } });
  expect((await junk.json()).error.message).toContain("Not a valid configuration file");
  expect(await pendingCount()).toBe(1);

  expect(
    (
      await api.post("/api/v1/snapshots/import", { data: { file, passphrase: "correct horse battery staple" } })
    ).status(),
  ).toBe(200);
  expect(await pendingCount()).toBe(0);
  expect((await (await api.get("/api/v1/mapping-gateways?search=reload-phone")).json()).items[0]).toMatchObject({
    id: gw.id,
    hasPassword: true,
  });
});

test("a snapshot that breaks a cross-gateway rule is refused with the reason and the engine keeps its version", async () => {
  const version = await engineVersion();
  const file = await (await api.post(`/api/v1/snapshots/${version}/export`, { data: { secrets: "omit" } })).json();
  const base = {
    enabled: true,
    locked: false,
    authMode: "ip",
    port: null,
    authUsername: null,
    capacity: 0,
    priority: 0,
    calleeAllowPrefixes: [],
    calleeDenyPrefixes: [],
    callerRewrite: { strip: 0, prefix: "" },
    calleeRewrite: { strip: 0, prefix: "" },
    routingGroups: [],
    replyAddress: "source",
    memo: "",
  };
  file.mappingGateways.push(
    { ...base, id: "clash-a", name: "clash-a", ipAddresses: ["198.18.0.1"] },
    { ...base, id: "clash-b", name: "clash-b", ipAddresses: ["198.18.0.1"] },
  );
  expect((await api.post("/api/v1/snapshots/import", { data: { file } })).status()).toBe(200);
  const job = await reload();
  expect(job.outcome).toBe("rejected");
  expect(job.reasons).toContain('mapping gateways "clash-a" and "clash-b" both claim source 198.18.0.1');
  expect(await engineVersion()).toBe(version);
  const history = await (await api.get("/api/v1/snapshots")).json();
  expect(history.items[0]).toMatchObject({ version: job.version, outcome: "rejected" });
  await api.post("/api/v1/pending/discard");
  expect(await pendingCount()).toBe(0);
});

test("rollback re-applies an earlier snapshot as a new version", async () => {
  const applied = (await (await api.get("/api/v1/snapshots?pageSize=200")).json()).items.filter(
    (s: { outcome: string }) => s.outcome === "applied",
  );
  const target = applied[applied.length - 1].version; // version 0: defaults, no gateways
  const started = await api.post(`/api/v1/snapshots/${target}/rollback`);
  expect(started.status()).toBe(202);
  const { id } = await started.json();
  await expect
    .poll(async () => (await (await api.get(`/api/v1/reloads/${id}`)).json()).outcome, { timeout: 30_000 })
    .toBe("applied");
  const job = await (await api.get(`/api/v1/reloads/${id}`)).json();
  expect(job.rollbackOf).toBe(target);
  expect(await engineVersion()).toBe(job.version);
  expect(await (await api.get("/api/v1/parameters/SS_AUTHCHALLENGEMODE")).json()).toMatchObject({
    value: 2,
    active: 2,
  });
  expect((await (await api.get("/api/v1/mapping-gateways")).json()).total).toBe(0);
});
