import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { createOperator, createToken, sessionClient, tokenClient } from "../helpers/api";
import { baseURL } from "../helpers/env";

// Issue 19: what an attacker got past on a fresh install, each one refused now.

let admin: APIRequestContext;
test.beforeAll(async () => {
  admin = await sessionClient();
});

async function expectError(response: APIResponse, status: number, message?: string | RegExp) {
  expect(response.status(), await response.text()).toBe(status);
  const body = await response.json();
  expect(Object.keys(body)).toEqual(["error"]);
  if (typeof message === "string") expect(body.error.message).toBe(message);
  else if (message) expect(body.error.message).toMatch(message);
  return body.error;
}

const auditOf = async (query: string) => (await (await admin.get(`/api/v1/audit?pageSize=200&${query}`)).json()).items;

test.describe("sign-in", () => {
  test("30 wrong passwords at once lock the account after the limit; the right one is then refused", async ({
    playwright,
  }) => {
    await createOperator(admin, "race-target", "viewer", "race-right-password");
    const anon = await playwright.request.newContext({ baseURL });
    const attempt = (password: string) =>
      anon.post("/api/auth/session", { data: { username: "race-target", password } });
    const statuses = (await Promise.all(Array.from({ length: 30 }, () => attempt("guess-Zq81")))).map((r) =>
      r.status(),
    );
    // The fifth failure locks (429, as it does one at a time); every attempt counted past it is refused unchecked.
    expect(statuses.filter((s) => s === 401)).toHaveLength(4);
    expect(statuses.filter((s) => s === 429)).toHaveLength(26);
    await expectError(await attempt("race-right-password"), 429, /^Too many failed sign-ins for this username/);

    const failed = await auditOf("action=auth.sign-in-failed&actor=race-target");
    expect(failed.length).toBeGreaterThanOrEqual(31);
    expect(JSON.stringify(failed)).not.toContain("guess-Zq81");
    expect(JSON.stringify(failed)).not.toContain("race-right-password");
    const lockouts = await auditOf("action=auth.lockout&actor=race-target");
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatchObject({ via: "ui", entityType: "operator", after: { username: "race-target" } });
  });

  test("sign-in, a failed sign-in (the username as typed, never the password) and sign-out are audited", async ({
    playwright,
  }) => {
    await createOperator(admin, "audit-me", "viewer", "audit-me-password-1");
    const anon = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
    expect(
      (await anon.post("/api/auth/session", { data: { username: "audit-me", password: "not-this-one-77" } })).status(),
    ).toBe(401);
    expect(
      (
        await anon.post("/api/auth/session", { data: { username: "audit-me", password: "audit-me-password-1" } })
      ).status(),
    ).toBe(200);
    expect((await anon.delete("/api/auth/session")).status()).toBe(200);

    const entries = (await auditOf("actor=audit-me")).filter((e: { action: string }) => e.action.startsWith("auth."));
    expect(entries.map((e: { action: string }) => e.action)).toEqual([
      "auth.sign-out",
      "auth.sign-in",
      "auth.sign-in-failed",
    ]);
    expect(entries[2]).toMatchObject({ actor: "audit-me", after: { username: "audit-me", reason: "wrong-password" } });
    expect(JSON.stringify(entries)).not.toContain("not-this-one-77");
    expect(JSON.stringify(entries)).not.toContain("audit-me-password-1");
  });

  test("the first administrator's setup is in the audit log", async () => {
    expect(await auditOf("action=setup.first-admin")).toHaveLength(1);
  });
});

test.describe("API tokens belong to their operator", () => {
  test("the token of an operator who is then disabled is refused", async () => {
    const maker = await createOperator(admin, "token-maker", "admin", "token-maker-password");
    const token = await createToken(await sessionClient("token-maker", "token-maker-password"), "maker-token", "admin");
    const robot = await tokenClient(token);
    expect((await robot.get("/api/v1/me")).status()).toBe(200);

    const disabled = await admin.patch(`/api/v1/operators/${maker.id}`, {
      data: { version: maker.version, disabled: true },
    });
    expect(disabled.status()).toBe(200);
    await expectError(await robot.get("/api/v1/me"), 401, "The API token is invalid, expired or revoked");
    await expectError(
      await robot.post("/api/v1/operators", {
        data: { username: "made-by-ghost", password: "a-long-enough-password", role: "admin" },
      }),
      401,
    );
    const names = (await (await admin.get("/api/v1/operators")).json()).items.map(
      (o: { username: string }) => o.username,
    );
    expect(names).not.toContain("made-by-ghost");
  });

  test("a token acts with at most its operator's current role", async () => {
    const maker = await createOperator(admin, "demoted-admin", "admin", "demoted-admin-pass");
    const robot = await tokenClient(
      await createToken(await sessionClient("demoted-admin", "demoted-admin-pass"), "demoted-token", "admin"),
    );
    expect(await (await robot.get("/api/v1/me")).json()).toMatchObject({ kind: "token", role: "admin" });
    expect(
      (
        await admin.patch(`/api/v1/operators/${maker.id}`, { data: { version: maker.version, role: "viewer" } })
      ).status(),
    ).toBe(200);
    expect(await (await robot.get("/api/v1/me")).json()).toMatchObject({ kind: "token", role: "viewer" });
    await expectError(await robot.get("/api/v1/tokens"), 403, "This needs the admin role; you have viewer");
  });
});

test.describe("bad input gives 4xx with a message, never 500", () => {
  test("a snapshot version beyond any integer", async () => {
    const huge = "99999999999999999999";
    const message = `version must be a whole number from 0 to 2147483647, not "${huge}"`;
    await expectError(await admin.get(`/api/v1/snapshots/${huge}`), 400, message);
    await expectError(
      await admin.post(`/api/v1/snapshots/${huge}/export`, { data: { secrets: "omit" } }),
      400,
      message,
    );
    await expectError(await admin.post(`/api/v1/snapshots/${huge}/rollback`), 400, message);
    await expectError(await admin.get("/api/v1/snapshots/-1"), 400);
    await expectError(await admin.get("/api/v1/snapshots/2147483647"), 404, "No snapshot version 2147483647");
    await expectError(await admin.post("/api/v1/snapshots/2147483647/rollback"), 404, "No snapshot version 2147483647");
  });

  test("an import file with a duplicate gateway id, or an unknown parameter, is refused naming it; nothing changes", async () => {
    const version = (await (await admin.get("/api/v1/pending")).json()).activeVersion;
    const exported = await admin.post(`/api/v1/snapshots/${version}/export`, { data: { secrets: "omit" } });
    expect(exported.status()).toBe(200);
    const file = await exported.json();
    const pendingBefore = (await (await admin.get("/api/v1/pending")).json()).count;

    const twice = structuredClone(file);
    twice.mappingGateways.push(
      { id: "dup-id", name: "dup-a", authMode: "ip", ipAddresses: ["100.99.0.1"] },
      { id: "dup-id", name: "dup-b", authMode: "ip", ipAddresses: ["100.99.0.2"] },
    );
    const dup = await expectError(await admin.post("/api/v1/snapshots/import", { data: { file: twice } }), 400);
    expect(dup.issues).toContainEqual({
      path: "mapping gateway dup-b",
      message: 'two mapping gateways have the id "dup-id"',
    });

    const unknown = structuredClone(file);
    unknown.parameters.SS_NOT_A_PARAMETER = 1;
    const refused = await expectError(
      await admin.post("/api/v1/snapshots/import", { data: { file: unknown } }),
      400,
      /SS_NOT_A_PARAMETER/,
    );
    expect(refused.issues).toContainEqual({
      path: "parameters.SS_NOT_A_PARAMETER",
      message: "unknown parameter SS_NOT_A_PARAMETER",
    });
    expect((await (await admin.get("/api/v1/pending")).json()).count).toBe(pendingBefore);
  });

  test("% and _ in a list search are literal", async () => {
    for (const [name, memo, address] of [
      ["lit-a_b", "100% sure", "100.97.0.1"],
      ["lit-axb", "1000 sure", "100.97.0.2"],
    ])
      expect(
        (
          await admin.post("/api/v1/mapping-gateways", {
            data: { name, authMode: "ip", ipAddresses: [address], memo },
          })
        ).status(),
      ).toBe(201);
    const names = async (search: string) =>
      (await (await admin.get(`/api/v1/mapping-gateways?search=${encodeURIComponent(search)}`)).json()).items.map(
        (g: { name: string }) => g.name,
      );
    expect(await names("lit-a_b")).toEqual(["lit-a_b"]);
    expect(await names("lit-a_")).toEqual(["lit-a_b"]);
    expect(await names("0% s")).toEqual(["lit-a_b"]);
    expect(await names("LIT-AXB")).toEqual(["lit-axb"]);
    expect((await (await admin.get("/api/v1/routing-gateways?search=%25_%25")).json()).items).toEqual([]);
  });

  test("PATCH /api/v1/checklist refuses keys it does not know", async () => {
    const refused = await expectError(
      await admin.patch("/api/v1/checklist", { data: { number: "4930", registrationTraceId: "x", bogus: true } }),
      400,
    );
    expect(refused.message).toContain("bogus");
    expect((await (await admin.get("/api/v1/checklist")).json()).answers.number).not.toBe("4930");
  });
});

test("a gateway CSV export neutralises formula cells, and importing it gives back the same values", async () => {
  const memo = "=cmd|' /C calc'!A0";
  const created = await admin.post("/api/v1/mapping-gateways", {
    data: {
      name: "csv-formula",
      authMode: "ip",
      ipAddresses: ["100.98.0.1"],
      memo,
      callerRewrite: { strip: 0, prefix: "+44" },
      calleeAllowPrefixes: ["+33"],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const csv = await (await admin.get("/api/v1/mapping-gateways/export?search=csv-formula")).text();
  expect(csv).toContain(`'${memo}`);
  expect(csv).toContain("'+44");
  expect(csv).toContain("'+33");

  const preview = await (await admin.post("/api/v1/mapping-gateways/import?mode=preview", { data: csv })).json();
  expect(preview).toMatchObject({ rows: 1, errors: [] });
  const started = await admin.post("/api/v1/mapping-gateways/import?mode=commit", { data: csv });
  expect(started.status()).toBe(202);
  const job = await started.json();
  await expect.poll(async () => (await (await admin.get(`/api/v1/import-jobs/${job.id}`)).json()).status).toBe("done");
  const after = (await (await admin.get("/api/v1/mapping-gateways?search=csv-formula")).json()).items[0];
  expect(after).toMatchObject({ memo, callerRewrite: { strip: 0, prefix: "+44" }, calleeAllowPrefixes: ["+33"] });
});

test("a snapshot export is audited with its secrets mode in clear", async () => {
  const version = (await (await admin.get("/api/v1/pending")).json()).activeVersion;
  expect((await admin.post(`/api/v1/snapshots/${version}/export`, { data: { secrets: "omit" } })).status()).toBe(200);
  expect(
    (
      await admin.post(`/api/v1/snapshots/${version}/export`, {
        data: { secrets: "encrypted", passphrase: "a passphrase for the audit test" },
      })
    ).status(),
  ).toBe(200);
  const exports = await auditOf("action=config.export");
  expect(exports.slice(0, 2).map((e: { after: unknown }) => e.after)).toEqual([
    { version, mode: "encrypted" },
    { version, mode: "omit" },
  ]);
});

test.describe("response headers", () => {
  const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1];

  test("a page gets a CSP with a fresh nonce on every script and no 'unsafe-inline' for scripts", async ({
    request,
  }) => {
    const first = await request.get("/login", { maxRedirects: 0 });
    expect(first.status()).toBe(200);
    const csp = first.headers()["content-security-policy"];
    expect(csp).toBeTruthy();
    const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src"))!;
    expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
    expect(scriptSrc).toContain("'strict-dynamic'");
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = nonceOf(csp)!;
    const scripts = (await first.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

    const second = await request.get("/login", { maxRedirects: 0 });
    expect(nonceOf(second.headers()["content-security-policy"])).not.toBe(nonce);
  });

  test("Permissions-Policy everywhere; HSTS only when the request came over HTTPS", async ({ request }) => {
    for (const url of ["/login", "/api/health"]) {
      const plain = await request.get(url, { maxRedirects: 0 });
      expect(plain.headers()["permissions-policy"]).toBe("camera=(), microphone=(), geolocation=(), payment=()");
      expect(plain.headers()["strict-transport-security"]).toBeUndefined();
      const proxied = await request.get(url, { maxRedirects: 0, headers: { "x-forwarded-proto": "https" } });
      expect(proxied.headers()["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
    }
    const upgraded = await request.get("/login", { maxRedirects: 0, headers: { "x-forwarded-proto": "https" } });
    expect(upgraded.headers()["content-security-policy"]).toContain("upgrade-insecure-requests");
    const plain = await request.get("/login", { maxRedirects: 0 });
    expect(plain.headers()["content-security-policy"]).not.toContain("upgrade-insecure-requests");
  });
});

test("the data folder is the console account's alone, and its database 0600", () => {
  const data = path.join(process.env.E2E_DIR!, "data");
  expect(statSync(data).mode & 0o777).toBe(0o700);
  expect(statSync(path.join(data, "app.db")).mode & 0o777).toBe(0o600);
});

/** The console server's resident memory: the process serving this run's data folder. */
function consoleRssMiB(): number {
  const dataDir = path.join(process.env.E2E_DIR!, "data");
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let environ: string;
    let status: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, "latin1");
      status = readFileSync(`/proc/${entry}/status`, "latin1");
    } catch (error) {
      if (["ENOENT", "ESRCH", "EACCES"].includes((error as NodeJS.ErrnoException).code ?? "")) continue; // ended, or not ours
      throw error;
    }
    if (!environ.includes(`\0DATA_DIR=${dataDir}\0`) || !/^Name:\s+next-server/m.test(status)) continue;
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
  }
  throw new Error("the console server's process was not found");
}

test("request bodies have a ceiling: five 100 MB sign-ins are refused with 413, the server's memory stays put", async ({
  playwright,
}) => {
  const anon = await playwright.request.newContext({ baseURL });
  const before = consoleRssMiB();
  const huge = Buffer.alloc(100 * 1024 * 1024, 0x20);
  for (let i = 0; i < 5; i++) {
    const response = await anon.post("/api/auth/session", {
      data: huge,
      headers: { "content-type": "application/json" },
    });
    await expectError(response, 413, "The request body is larger than 1 MB");
  }
  expect(consoleRssMiB() - before).toBeLessThan(50);
  // A body just over the ceiling is refused too; one within it is read as usual (401: wrong password)
  await expectError(await anon.post("/api/auth/session", { data: Buffer.alloc(1024 * 1024 + 1, 0x20) }), 413);
  await expectError(
    await anon.post("/api/auth/session", { data: { username: `ceiling-${Date.now()}`, password: "not-the-password" } }),
    401,
  );
  await anon.dispose();
});
