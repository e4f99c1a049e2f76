import { expect, test } from "@playwright/test";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { createOperator, createToken, sessionClient, tokenClient } from "../helpers/api";
import { baseURL } from "../helpers/env";

test("a viewer token reads but cannot write", async () => {
  const admin = await sessionClient();
  const viewer = await tokenClient(await createToken(admin, "viewer-script", "viewer"));
  expect((await viewer.get("/api/v1/parameters")).status()).toBe(200);
  expect((await viewer.get("/api/v1/audit")).status()).toBe(200);

  const write = await viewer.patch("/api/v1/parameters/SS_AUTHCHALLENGEMODE", { data: { value: 1, version: 0 } });
  expect(write.status()).toBe(403);
  expect((await write.json()).error.message).toBe("This needs the operator role; you have viewer");
  expect(
    (
      await viewer.post("/api/v1/operators", {
        data: { username: "x-user", password: "long-enough-pass", role: "admin" },
      })
    ).status(),
  ).toBe(403);
  expect((await viewer.get("/api/v1/tokens")).status()).toBe(403);
});

test("a cross-origin write with a valid session cookie is refused; the same write from the console's origin works", async () => {
  const admin = await sessionClient();
  const foreign = await admin.post("/api/v1/tokens", {
    data: { name: "csrf-attempt", role: "admin" },
    headers: { origin: "https://evil.example" },
  });
  expect(foreign.status()).toBe(403);
  expect((await foreign.json()).error.message).toContain("Cross-origin request refused");
  const noOrigin = await admin.post("/api/v1/tokens", {
    data: { name: "csrf-attempt", role: "admin" },
    headers: { origin: "" },
  });
  expect(noOrigin.status()).toBe(403);
  const listed = await (await admin.get("/api/v1/tokens")).json();
  expect(listed.items.map((t: { name: string }) => t.name)).not.toContain("csrf-attempt");

  const own = await admin.post("/api/v1/tokens", {
    data: { name: "same-origin", role: "viewer" },
    headers: { origin: baseURL },
  });
  expect(own.status()).toBe(201);
});

test("sign-in lockout: five failures lock the username, with the same answers for an unknown user", async ({
  playwright,
}) => {
  const admin = await sessionClient();
  await createOperator(admin, "lockme", "viewer", "the-right-password");
  const anon = await playwright.request.newContext({ baseURL });
  const attempt = (username: string, password: string) =>
    anon.post("/api/auth/session", { data: { username, password } });

  for (const username of ["lockme", "nobody-here"]) {
    for (let i = 1; i <= 4; i++) {
      const r = await attempt(username, "wrong-password");
      expect(r.status()).toBe(401);
      expect((await r.json()).error.message).toBe("Invalid username or password");
    }
    const fifth = await attempt(username, "wrong-password");
    expect(fifth.status()).toBe(429);
    expect((await fifth.json()).error.message).toMatch(
      /^Too many failed sign-ins for this username; try again in \d+ minutes?$/,
    );
  }
  // Locked: even the right password is refused until the lockout ends.
  const right = await attempt("lockme", "the-right-password");
  expect(right.status()).toBe(429);
});

test("sessions are server-side: signing out makes the old cookie useless", async ({ playwright }) => {
  const client = await sessionClient();
  const cookie = (await client.storageState()).cookies.find((c) => c.name === "ssc_session");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  expect((await client.get("/api/v1/me")).status()).toBe(200);
  expect((await client.delete("/api/auth/session")).status()).toBe(200);
  const replay = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { cookie: `ssc_session=${cookie!.value}` },
  });
  expect((await replay.get("/api/v1/me")).status()).toBe(401);
});

test("API tokens: shown once, stored hashed, revocable, last use shown", async () => {
  const admin = await sessionClient();
  const token = await createToken(admin, "ci-robot", "operator");
  expect(token).toMatch(/^ssc_/);
  const listing = await (await admin.get("/api/v1/tokens")).text();
  expect(listing).not.toContain(token);

  const robot = await tokenClient(token);
  expect((await robot.get("/api/v1/me")).status()).toBe(200);
  const row = (await (await admin.get("/api/v1/tokens")).json()).items.find(
    (t: { name: string }) => t.name === "ci-robot",
  );
  expect(row.lastUsedAt).not.toBeNull();

  expect((await admin.delete(`/api/v1/tokens/${row.id}`)).status()).toBe(200);
  const after = await robot.get("/api/v1/me");
  expect(after.status()).toBe(401);
  expect((await after.json()).error.message).toBe("The API token is invalid, expired or revoked");
});

test("operators: precise validation, unique names, stale versions, unknown ids", async () => {
  const admin = await sessionClient();
  const bad = await admin.post("/api/v1/operators", { data: { username: "a", password: "short", role: "boss" } });
  expect(bad.status()).toBe(400);
  const issues = (await bad.json()).error.issues;
  expect(issues).toEqual(
    expect.arrayContaining([
      { path: "username", message: "username must be 3 to 32 letters, digits, dots, dashes or underscores" },
      { path: "password", message: "password must be at least 12 characters" },
      { path: "role", message: "role must be admin, operator or viewer" },
    ]),
  );
  const created = await createOperator(admin, "dup-user", "viewer");
  const dup = await admin.post("/api/v1/operators", {
    data: { username: "dup-user", password: "a-long-enough-password", role: "viewer" },
  });
  expect(dup.status()).toBe(409);
  expect((await dup.json()).error.message).toBe('An operator named "dup-user" already exists');

  expect(
    (
      await admin.patch(`/api/v1/operators/${created.id}`, { data: { version: created.version, role: "operator" } })
    ).status(),
  ).toBe(200);
  const stale = await admin.patch(`/api/v1/operators/${created.id}`, {
    data: { version: created.version, role: "admin" },
  });
  expect(stale.status()).toBe(409);
  expect((await (await admin.get(`/api/v1/operators/${created.id}`)).json()).role).toBe("operator");

  expect((await admin.get("/api/v1/operators/no-such-id")).status()).toBe(404);
  const invalidJson = await admin.post("/api/v1/operators", {
    data: "{not json",
    headers: { "content-type": "application/json" },
  });
  expect(invalidJson.status()).toBe(400);
});

test("a disabled operator cannot sign in and loses open sessions", async () => {
  const admin = await sessionClient();
  const op = await createOperator(admin, "leaver", "operator", "leaver-password-1");
  const leaver = await sessionClient("leaver", "leaver-password-1");
  expect(
    (await admin.patch(`/api/v1/operators/${op.id}`, { data: { version: op.version, disabled: true } })).status(),
  ).toBe(200);
  expect((await leaver.get("/api/v1/me")).status()).toBe(401);
  const retry = await leaver.post("/api/auth/session", { data: { username: "leaver", password: "leaver-password-1" } });
  expect(retry.status()).toBe(401);
});

test("the audit log records changes with who, how, and never a secret", async () => {
  const admin = await sessionClient();
  const token = await createToken(admin, "audit-robot", "admin");
  const robot = await tokenClient(token);
  await createOperator(robot, "audited-user", "viewer", "audited-password-1");
  const audit = await (await admin.get("/api/v1/audit?action=operator.create&pageSize=200")).json();
  const entry = audit.items.find((e: { after: { username?: string } }) => e.after?.username === "audited-user");
  expect(entry).toMatchObject({ actor: "token:audit-robot", via: "api-token", entityType: "operator" });
  const everything = JSON.stringify((await (await admin.get("/api/v1/audit?pageSize=200")).json()).items);
  expect(everything).not.toContain("audited-password-1");
  expect(everything).not.toContain(token);
  expect(everything).not.toContain("scrypt$");
});

test("the OpenAPI 3.1 document describes every operation", async () => {
  const admin = await sessionClient();
  const doc = await (await admin.get("/api/v1/openapi.json")).json();
  expect(doc.openapi).toBe("3.1.0");
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining(["/api/v1/operators", "/api/v1/tokens", "/api/v1/audit", "/api/v1/parameters/{name}"]),
  );
  expect(doc.paths["/api/v1/operators"].post.requestBody.content["application/json"].schema.properties).toHaveProperty(
    "username",
  );
});

test("command-line recovery: a locked-out operator gets a new password, is enabled and unlocked", async ({
  playwright,
}) => {
  const admin = await sessionClient();
  await createOperator(admin, "forgetful", "admin", "forgotten-password-1");
  const anon = await playwright.request.newContext({ baseURL });
  for (let i = 0; i < 5; i++)
    await anon.post("/api/auth/session", { data: { username: "forgetful", password: "wrong-guess" } });

  const cli = spawnSync(path.resolve("node_modules/.bin/tsx"), ["scripts/admin.ts", "reset-password", "forgetful"], {
    env: { ...process.env, DATA_DIR: path.join(process.env.E2E_DIR!, "data") },
    encoding: "utf8",
  });
  expect(cli.status, cli.stderr).toBe(0);
  const password = /New password for forgetful: (\S+)/.exec(cli.stdout)?.[1];
  expect(password).toBeTruthy();
  const signIn = await anon.post("/api/auth/session", { data: { username: "forgetful", password } });
  expect(signIn.status()).toBe(200);
  const audit = await (await admin.get("/api/v1/audit?action=operator.reset-password")).json();
  expect(audit.items[0]).toMatchObject({ actor: "cli", via: "cli" });
});
