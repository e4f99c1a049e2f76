import { expect, test } from "@playwright/test";
import { createToken, sessionClient, tokenClient } from "../helpers/api";

test("parameters list shows saved, active and default values for the whole catalog", async () => {
  const admin = await sessionClient();
  const { items } = await (await admin.get("/api/v1/parameters")).json();
  const mode = items.find((p: { name: string }) => p.name === "SS_AUTHCHALLENGEMODE");
  expect(mode).toMatchObject({ default: 2, active: 2, type: "enum", group: "Authentication" });
  expect(items.map((p: { name: string }) => p.name)).toEqual(
    expect.arrayContaining([
      "SS_AUTHENTICATION_MAX_RETRY",
      "SS_AUTHENTICATION_FAILED_SUSPEND",
      "SS_REPLY_UNAUTHORIZED",
      "SS_ENDPOINT_EXPIRE",
      "SS_NONCE_LIFETIME",
      "SERVER_LOGIN_FAILED_DISABLE_TIME",
    ]),
  );
});

test("a PATCH saves a pending value: the active one stays until reload, the badge counts it, the audit records it", async () => {
  const operator = await tokenClient(await createToken(await sessionClient(), "param-editor", "operator"));
  const before = await (await operator.get("/api/v1/parameters/SS_ENDPOINT_EXPIRE")).json();
  const saved = await operator.patch("/api/v1/parameters/SS_ENDPOINT_EXPIRE", {
    data: { value: 1800, version: before.version },
  });
  expect(saved.status()).toBe(200);
  expect(await saved.json()).toMatchObject({
    value: 1800,
    active: 3600,
    pending: true,
    isDefault: false,
    version: before.version + 1,
  });
  expect((await (await operator.get("/api/v1/pending")).json()).count).toBeGreaterThanOrEqual(1);

  const audit = await (await operator.get("/api/v1/audit?entityType=parameter")).json();
  expect(audit.items[0]).toMatchObject({
    action: "parameter.update",
    entityId: "SS_ENDPOINT_EXPIRE",
    actor: "token:param-editor",
    before: { value: 3600 },
    after: { value: 1800 },
  });

  const reset = await operator.delete(`/api/v1/parameters/SS_ENDPOINT_EXPIRE?version=${before.version + 1}`);
  expect(reset.status()).toBe(200);
  expect(await reset.json()).toMatchObject({ value: 3600, pending: false, isDefault: true });
});

test("parameter errors: precise 400s, 404 for an unknown name, 409 for a stale version", async () => {
  const admin = await sessionClient();
  const patch = (name: string, data: unknown) => admin.patch(`/api/v1/parameters/${name}`, { data });
  const current = await (await admin.get("/api/v1/parameters/SS_AUTHCHALLENGEMODE")).json();

  const cases: Array<[string, unknown, string]> = [
    ["SS_AUTHCHALLENGEMODE", { value: 4, version: current.version }, "SS_AUTHCHALLENGEMODE must be 1, 2 or 3"],
    ["SS_AUTHCHALLENGEMODE", { value: "2", version: current.version }, "SS_AUTHCHALLENGEMODE must be 1, 2 or 3"],
    [
      "SS_AUTHENTICATION_MAX_RETRY",
      { value: 1000, version: 0 },
      "SS_AUTHENTICATION_MAX_RETRY must be a whole number from 0 to 999",
    ],
    [
      "SS_AUTHENTICATION_FAILED_SUSPEND",
      { value: 30, version: 0 },
      "SS_AUTHENTICATION_FAILED_SUSPEND must be a whole number from 60 to 3600 seconds",
    ],
    ["SS_REPLY_UNAUTHORIZED", { value: "yes", version: 0 }, "SS_REPLY_UNAUTHORIZED must be true (On) or false (Off)"],
    [
      "SS_SIP_DOMAIN",
      { value: "not a domain!", version: 0 },
      "SS_SIP_DOMAIN must be a domain name such as sip.example.com",
    ],
  ];
  for (const [name, body, message] of cases) {
    const response = await patch(name, body);
    expect(response.status(), name).toBe(400);
    expect((await response.json()).error.message).toBe(message);
  }
  const missingVersion = await patch("SS_AUTHCHALLENGEMODE", { value: 1 });
  expect(missingVersion.status()).toBe(400);
  expect((await missingVersion.json()).error.issues[0]).toEqual({
    path: "version",
    message: "version is required (the version the change was based on)",
  });

  const unknown = await patch("SS_NO_SUCH_THING", { value: 1, version: 0 });
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).error.message).toBe("No parameter named SS_NO_SUCH_THING");

  const stale = await patch("SS_AUTHCHALLENGEMODE", { value: 3, version: current.version + 5 });
  expect(stale.status()).toBe(409);
  expect((await (await admin.get("/api/v1/parameters/SS_AUTHCHALLENGEMODE")).json()).value).toBe(current.value);
});
