import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { createToken, sessionClient, tokenClient } from "../helpers/api";

let api: APIRequestContext;
test.beforeAll(async () => {
  api = await tokenClient(await createToken(await sessionClient(), `gateway-robot-${Date.now()}`, "operator"));
});

async function expectError(response: APIResponse, status: number, message: string | RegExp) {
  expect(response.status(), await response.text()).toBe(status);
  const body = await response.json();
  if (typeof message === "string") expect(body.error.message).toContain(message);
  else expect(body.error.message).toMatch(message);
  return body.error;
}

test.describe("mapping gateways", () => {
  test("rules, each with its precise message", async () => {
    const post = (data: unknown) => api.post("/api/v1/mapping-gateways", { data });
    await expectError(
      await post({ name: "m-bad-ip", authMode: "ip", ipAddresses: ["10.0.0.300"] }),
      400,
      '"10.0.0.300" is not an IPv4 or IPv6 address',
    );
    await expectError(await post({ name: "m-no-ip", authMode: "ip" }), 400, "IP mode needs at least one IP address");
    await expectError(
      await post({ name: "m-no-port", authMode: "ip-port", ipAddresses: ["10.0.0.5"] }),
      400,
      "IP+Port mode needs a port",
    );
    await expectError(
      await post({ name: "m-port", authMode: "ip-port", ipAddresses: ["10.0.0.5"], port: 70000 }),
      400,
      "port must be a whole number from 1 to 65535",
    );
    await expectError(await post({ name: "m-nopass", authMode: "password" }), 400, "Password mode needs a password");
    await expectError(
      await post({ name: "m-prefix", authMode: "ip", ipAddresses: ["10.0.0.6"], calleeAllowPrefixes: ["12a"] }),
      400,
      'prefix "12a" must be digits, optionally with a leading +',
    );
    await expectError(
      await post({ name: "m-mode", authMode: "radius" }),
      400,
      "authMode must be ip, ip-port or password",
    );
    const unknownField = await expectError(
      await post({ name: "m-x", authMode: "ip", ipAddresses: ["10.0.0.7"], colour: "red" }),
      400,
      /colour/,
    );
    expect(unknownField.issues[0].path).toBe("(body)");
  });

  test("a source address identifies one gateway; IP+Port gateways may share an address on different ports", async () => {
    const a = await api.post("/api/v1/mapping-gateways", {
      data: { name: "m-pbx-a", authMode: "ip", ipAddresses: ["192.0.2.10", "2001:DB8::0:1"] },
    });
    expect(a.status()).toBe(201);
    expect((await a.json()).ipAddresses).toEqual(["192.0.2.10", "2001:db8::1"]);
    await expectError(
      await api.post("/api/v1/mapping-gateways", {
        data: { name: "m-pbx-b", authMode: "ip", ipAddresses: ["2001:db8::1"] },
      }),
      409,
      'Source 2001:db8::1 already identifies mapping gateway "m-pbx-a"',
    );
    // A disabled gateway claims nothing; enabling it then conflicts.
    const disabled = await api.post("/api/v1/mapping-gateways", {
      data: { name: "m-pbx-c", authMode: "ip", ipAddresses: ["192.0.2.10"], enabled: false },
    });
    expect(disabled.status()).toBe(201);
    const c = await disabled.json();
    await expectError(
      await api.patch(`/api/v1/mapping-gateways/${c.id}`, { data: { version: c.version, enabled: true } }),
      409,
      "already identifies",
    );
    await expectError(
      await api.post("/api/v1/mapping-gateways/bulk", { data: { action: "enable", ids: [c.id] } }),
      409,
      "Nothing was enabled",
    );

    for (const [name, port] of [
      ["m-trunk-1", 5060],
      ["m-trunk-2", 5062],
    ] as const) {
      expect(
        (
          await api.post("/api/v1/mapping-gateways", {
            data: { name, authMode: "ip-port", ipAddresses: ["198.51.100.7"], port },
          })
        ).status(),
      ).toBe(201);
    }
    await expectError(
      await api.post("/api/v1/mapping-gateways", {
        data: { name: "m-trunk-3", authMode: "ip-port", ipAddresses: ["198.51.100.7"], port: 5062 },
      }),
      409,
      "198.51.100.7 port 5062",
    );
    await expectError(
      await api.post("/api/v1/mapping-gateways", {
        data: { name: "m-trunk-1", authMode: "ip", ipAddresses: ["198.51.100.99"] },
      }),
      409,
      'A mapping gateway named "m-trunk-1" already exists',
    );
  });

  test("passwords are write-only, never in a response, a list, an export or the audit log", async () => {
    const secret = "Sup3r-Secret-Digest";
    const created = await api.post("/api/v1/mapping-gateways", {
      data: { name: "m-phone-1", authMode: "password", password: secret },
    });
    expect(created.status()).toBe(201);
    const gw = await created.json();
    expect(gw).toMatchObject({ hasPassword: true, authUsername: null });
    expect(gw).not.toHaveProperty("password");
    const renamed = await api.patch(`/api/v1/mapping-gateways/${gw.id}`, {
      data: { version: gw.version, memo: "desk 12", password: "An0ther-Secret" },
    });
    expect(renamed.status()).toBe(200);

    const bodies = [
      await (await api.get(`/api/v1/mapping-gateways/${gw.id}`)).text(),
      await (await api.get("/api/v1/mapping-gateways?search=m-phone")).text(),
      await (await api.get("/api/v1/mapping-gateways/export")).text(),
      await (await api.get("/api/v1/audit?entityType=mapping-gateway&pageSize=200")).text(),
    ];
    for (const body of bodies) {
      expect(body).not.toContain(secret);
      expect(body).not.toContain("An0ther-Secret");
      expect(body).not.toContain("v1:");
    }
    const audit = await (await api.get("/api/v1/audit?entityType=mapping-gateway&action=update")).json();
    expect(audit.items[0].after.password).toBe("••••••");
  });

  test("PATCH merges: fields not sent stay; a stale version answers 409 and loses nothing", async () => {
    const gw = await (
      await api.post("/api/v1/mapping-gateways", {
        data: { name: "m-merge", authMode: "ip", ipAddresses: ["203.0.113.1"], capacity: 30, memo: "keep me" },
      })
    ).json();
    const patched = await (
      await api.patch(`/api/v1/mapping-gateways/${gw.id}`, { data: { version: gw.version, priority: 5 } })
    ).json();
    expect(patched).toMatchObject({ priority: 5, capacity: 30, memo: "keep me", version: gw.version + 1 });
    await expectError(
      await api.patch(`/api/v1/mapping-gateways/${gw.id}`, { data: { version: gw.version, capacity: 1 } }),
      409,
      "was changed by someone else",
    );
    expect((await (await api.get(`/api/v1/mapping-gateways/${gw.id}`)).json()).capacity).toBe(30);
    // Switching to Password mode without a password is refused as a whole.
    await expectError(
      await api.patch(`/api/v1/mapping-gateways/${gw.id}`, {
        data: { version: patched.version, authMode: "password" },
      }),
      400,
      "Password mode needs a password",
    );
    expect((await api.get("/api/v1/mapping-gateways/nope")).status()).toBe(404);
  });

  test("list: search, filters, sorting and paging", async () => {
    for (let i = 0; i < 5; i++) {
      await api.post("/api/v1/mapping-gateways", {
        data: {
          name: `m-list-${i}`,
          authMode: "ip",
          ipAddresses: [`100.64.0.${i + 1}`],
          priority: 10 - i,
          routingGroups: i % 2 ? ["gold"] : ["silver"],
        },
      });
    }
    const page = await (
      await api.get("/api/v1/mapping-gateways?search=m-list&sort=priority&order=asc&pageSize=2&page=2")
    ).json();
    expect(page.total).toBe(5);
    expect(page.items.map((g: { name: string }) => g.name)).toEqual(["m-list-2", "m-list-1"]);
    const gold = await (await api.get("/api/v1/mapping-gateways?group=gold&search=m-list")).json();
    expect(gold.items.map((g: { name: string }) => g.name)).toEqual(["m-list-1", "m-list-3"]);
    const byIp = await (await api.get("/api/v1/mapping-gateways?search=100.64.0.5")).json();
    expect(byIp.items.map((g: { name: string }) => g.name)).toEqual(["m-list-4"]);
    await expectError(await api.get("/api/v1/mapping-gateways?pageSize=9999"), 400, "pageSize must be at most 500");
    await expectError(await api.get("/api/v1/mapping-gateways?sort=colour"), 400, "sort must be");
  });

  test("CSV import: a bad row is reported with its reason and nothing is written; a good file commits whole", async () => {
    const header = "name,authMode,ipAddresses,port,password,capacity";
    const bad = [
      header,
      "csv-ok-1,ip,100.80.0.1,,,10",
      "csv-bad-2,ip-port,100.80.0.2,,,5",
      "csv-bad-3,ip,100.80.0.1,,,1",
    ].join("\n");
    const preview = await (
      await api.post("/api/v1/mapping-gateways/import?mode=preview", {
        data: bad,
        headers: { "content-type": "text/csv" },
      })
    ).json();
    expect(preview).toMatchObject({ rows: 3, creates: 1, updates: 0 });
    expect(preview.errors).toEqual([
      { line: 3, name: "csv-bad-2", messages: ["IP+Port mode needs a port"] },
      {
        line: 4,
        name: "csv-bad-3",
        messages: [
          'Source 100.80.0.1 already identifies mapping gateway "csv-ok-1"; a source address must identify one gateway',
        ],
      },
    ]);
    await expectError(
      await api.post("/api/v1/mapping-gateways/import?mode=commit", { data: bad }),
      400,
      "2 rows are invalid; nothing was imported",
    );
    expect((await (await api.get("/api/v1/mapping-gateways?search=csv-")).json()).total).toBe(0);

    const good = [
      header,
      "csv-ok-1,ip,100.80.0.1,,,10",
      "csv-ok-2,password,,,Csv-Secret-1,5",
      "csv-ok-3,ip-port,100.80.0.3,5070,,0",
    ].join("\n");
    const started = await api.post("/api/v1/mapping-gateways/import?mode=commit", { data: good });
    expect(started.status()).toBe(202);
    const job = await started.json();
    await expect.poll(async () => (await (await api.get(`/api/v1/import-jobs/${job.id}`)).json()).status).toBe("done");
    expect(await (await api.get(`/api/v1/import-jobs/${job.id}`)).json()).toMatchObject({
      total: 3,
      done: 3,
      created: 3,
      updated: 0,
    });
    const listed = await (await api.get("/api/v1/mapping-gateways?search=csv-ok")).json();
    expect(listed.items.map((g: { name: string; hasPassword: boolean }) => [g.name, g.hasPassword])).toEqual([
      ["csv-ok-1", false],
      ["csv-ok-2", true],
      ["csv-ok-3", false],
    ]);

    const exported = await (await api.get("/api/v1/mapping-gateways/export?search=csv-ok")).text();
    expect(exported.split("\n")[0]).toContain("name,enabled,locked,authMode,ipAddresses,port,authUsername,hasPassword");
    expect(exported).toContain("csv-ok-3,true,false,ip-port,100.80.0.3,5070");
    expect(exported).not.toContain("Csv-Secret-1");
  });

  test("bulk disable and delete", async () => {
    const ids: string[] = [];
    for (const n of [1, 2])
      ids.push(
        (
          await (
            await api.post("/api/v1/mapping-gateways", {
              data: { name: `m-bulk-${n}`, authMode: "ip", ipAddresses: [`100.90.0.${n}`] },
            })
          ).json()
        ).id,
      );
    expect(
      await (await api.post("/api/v1/mapping-gateways/bulk", { data: { action: "disable", ids } })).json(),
    ).toEqual({ action: "disable", affected: 2 });
    expect((await (await api.get("/api/v1/mapping-gateways?search=m-bulk&enabled=false")).json()).total).toBe(2);
    await expectError(
      await api.post("/api/v1/mapping-gateways/bulk", { data: { action: "delete", ids: [] } }),
      400,
      "select at least one gateway",
    );
    expect((await api.post("/api/v1/mapping-gateways/bulk", { data: { action: "delete", ids } })).status()).toBe(200);
    expect((await (await api.get("/api/v1/mapping-gateways?search=m-bulk")).json()).total).toBe(0);
  });
});

test.describe("routing gateways", () => {
  test("rules per kind, with precise messages", async () => {
    const post = (data: unknown) => api.post("/api/v1/routing-gateways", { data });
    await expectError(await post({ name: "r-noaddr" }), 400, "A static routing gateway needs an address");
    await expectError(
      await post({ name: "r-badhost", address: "carrier..example" }),
      400,
      '"carrier..example" is not a host name or IP address',
    );
    await expectError(
      await post({ name: "r-regout", kind: "register-out", address: "sip.carrier.example" }),
      400,
      "A register-out routing gateway needs a username: we register to the carrier with them",
    );
    await expectError(
      await post({ name: "r-dyn", kind: "dynamic", authUsername: "pbx7" }),
      400,
      "A dynamic routing gateway needs a password: it registers to us with digest",
    );
    await expectError(
      await post({ name: "r-half", address: "10.1.1.1", authUsername: "u1" }),
      400,
      "A username needs a password to go with it",
    );
    await expectError(
      await post({ name: "r-codes", address: "10.1.1.1", failoverCodes: [200] }),
      400,
      "failover codes must be SIP codes from 400 to 699",
    );
    await expectError(
      await post({ name: "r-transport", address: "10.1.1.1", transport: "sctp" }),
      400,
      "transport must be udp or tcp",
    );

    const carrier = await post({
      name: "r-carrier-a",
      address: "SIP.Carrier.Example",
      prefixes: ["+44", "0044"],
      authUsername: "acct1",
      password: "Carrier-Pass-1",
      authRealm: "carrier.example",
    });
    expect(carrier.status()).toBe(201);
    const body = await carrier.json();
    expect(body).toMatchObject({
      address: "sip.carrier.example",
      port: 5060,
      transport: "udp",
      prefixMode: "stop",
      hasPassword: true,
      failoverCodes: [408, 480, 500, 502, 503, 504],
    });
    expect(JSON.stringify(body)).not.toContain("Carrier-Pass-1");
    await expectError(
      await post({ name: "r-carrier-a", address: "10.1.1.2" }),
      409,
      'A routing gateway named "r-carrier-a" already exists',
    );
  });

  test("a dynamic gateway's digest username must not name another account", async () => {
    expect(
      (
        await api.post("/api/v1/mapping-gateways", {
          data: { name: "shared-user", authMode: "password", password: "Phone-Pass-1" },
        })
      ).status(),
    ).toBe(201);
    await expectError(
      await api.post("/api/v1/routing-gateways", {
        data: { name: "r-dyn-1", kind: "dynamic", authUsername: "shared-user", password: "Dyn-Pass-1" },
      }),
      409,
      'Digest username "shared-user" is already used by mapping gateway "shared-user"',
    );
  });

  test("CSV round trip: export then import updates in place, keeping passwords", async () => {
    const exported = await (await api.get("/api/v1/routing-gateways/export?search=r-carrier-a")).text();
    const edited = exported.replace(",acct1,", ",acct2,");
    const preview = await (await api.post("/api/v1/routing-gateways/import?mode=preview", { data: edited })).json();
    expect(preview).toMatchObject({ rows: 1, creates: 0, updates: 1, errors: [] });
    const job = await (await api.post("/api/v1/routing-gateways/import?mode=commit", { data: edited })).json();
    await expect.poll(async () => (await (await api.get(`/api/v1/import-jobs/${job.id}`)).json()).status).toBe("done");
    const after = (await (await api.get("/api/v1/routing-gateways?search=r-carrier-a")).json()).items[0];
    expect(after).toMatchObject({ authUsername: "acct2", hasPassword: true, prefixes: ["+44", "0044"] });
  });
});

test.describe("routing gateways: failover when our credentials are refused", () => {
  test("on unless turned off; PATCH turns it off; the CSV export carries it and an import reads it back", async () => {
    const created = await api.post("/api/v1/routing-gateways", {
      data: { name: "r-auth-failover", address: "10.1.2.3", prefixes: ["0049"] },
    });
    expect(created.status(), await created.text()).toBe(201);
    const gw = await created.json();
    expect(gw.failoverOnAuthFailure).toBe(true);

    const patched = await api.patch(`/api/v1/routing-gateways/${gw.id}`, {
      data: { version: gw.version, failoverOnAuthFailure: false },
    });
    expect(patched.status(), await patched.text()).toBe(200);
    expect(await patched.json()).toMatchObject({ failoverOnAuthFailure: false, prefixes: ["0049"] });
    const read = async () => (await (await api.get(`/api/v1/routing-gateways/${gw.id}`)).json()).failoverOnAuthFailure;
    expect(await read()).toBe(false);
    const notBoolean = await api.patch(`/api/v1/routing-gateways/${gw.id}`, {
      data: { version: gw.version + 1, failoverOnAuthFailure: "no" },
    });
    expect(notBoolean.status()).toBe(400);
    expect((await notBoolean.json()).error.issues).toEqual([
      { path: "failoverOnAuthFailure", message: "failoverOnAuthFailure must be true or false" },
    ]);

    // Export: one column, "false" for this gateway.
    const exported = await (await api.get("/api/v1/routing-gateways/export?search=r-auth-failover")).text();
    const [header, line] = exported.trim().split("\n");
    const column = header.split(",").indexOf("failoverOnAuthFailure");
    expect(column, header).toBeGreaterThan(-1);
    expect(line.split(",")[column]).toBe("false");

    // Import the file as exported: the row updates in place and the value stays off (a file without
    // the column would have put it back to its default, on).
    const commit = async (csv: string) => {
      const started = await api.post("/api/v1/routing-gateways/import?mode=commit", { data: csv });
      expect(started.status(), await started.text()).toBe(202);
      const job = await started.json();
      await expect
        .poll(async () => (await (await api.get(`/api/v1/import-jobs/${job.id}`)).json()).status)
        .toBe("done");
    };
    const preview = await (await api.post("/api/v1/routing-gateways/import?mode=preview", { data: exported })).json();
    expect(preview).toMatchObject({ rows: 1, creates: 0, updates: 1, errors: [] });
    await commit(exported);
    expect(await read()).toBe(false);

    // The cell takes yes/no and 1/0 as well; anything else is refused with the column and the cell.
    const withCell = (cell: string) => {
      const cells = line.split(",");
      cells[column] = cell;
      return `${header}\n${cells.join(",")}\n`;
    };
    await commit(withCell("yes"));
    expect(await read()).toBe(true);
    await commit(withCell("0"));
    expect(await read()).toBe(false);
    const bad = await (
      await api.post("/api/v1/routing-gateways/import?mode=preview", { data: withCell("sometimes") })
    ).json();
    expect(bad.errors).toEqual([
      {
        line: 2,
        name: "r-auth-failover",
        messages: ['failoverOnAuthFailure must be true or false (or yes/no, 1/0, on/off), not "sometimes"'],
      },
    ]);
    expect(await read()).toBe(false);
  });
});

test("gateway edits are pending configuration in the header badge", async () => {
  const pending = await (await api.get("/api/v1/pending")).json();
  expect(pending.mappingGateways).toBeGreaterThan(5);
  expect(pending.routingGateways).toBeGreaterThanOrEqual(1);
  expect(pending.count).toBe(pending.parameters + pending.mappingGateways + pending.routingGateways);
});

test("a viewer can list and export gateways but not change them", async () => {
  const viewer = await tokenClient(await createToken(await sessionClient(), "gateway-viewer", "viewer"));
  expect((await viewer.get("/api/v1/routing-gateways")).status()).toBe(200);
  expect((await viewer.get("/api/v1/mapping-gateways/export")).status()).toBe(200);
  expect((await viewer.post("/api/v1/routing-gateways", { data: { name: "r-v", address: "10.9.9.9" } })).status()).toBe(
    403,
  );
  expect((await viewer.post("/api/v1/mapping-gateways/import?mode=preview", { data: "name\nx" })).status()).toBe(403);
});
