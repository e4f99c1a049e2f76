import { expect, test, type APIRequestContext } from "@playwright/test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expectAccessible } from "../helpers/a11y";
import { createToken, sessionClient, tokenClient } from "../helpers/api";
import { reloadConsole, setParameter } from "../helpers/console-config";
import { adminStatePath } from "../helpers/env";
import { runSipp } from "../helpers/sipp";

// Issue 10 end to end: a trace started in the browser, real sipp registering with a wrong and a
// right password, the ladder with its challenges, the loop flag, the suspension and its lift.

test.use({ storageState: adminStatePath });
test.describe.configure({ mode: "serial" });

const sipPort = () => Number(process.env.E2E_SIP_PORT);
const PHONE = { name: "trace-phone", password: "Trace-Secret-1", wrong: "not-the-password" };
let api: APIRequestContext;

test.beforeAll(async () => {
  api = await tokenClient(await createToken(await sessionClient(), `trace-setup-${Date.now()}`, "operator"));
  expect(
    (
      await api.post("/api/v1/mapping-gateways", {
        data: { name: PHONE.name, authMode: "password", password: PHONE.password },
      })
    ).status(),
  ).toBe(201);
  // 401 challenges (sipp answers them), suspension after 4 failures, and no exemption for the
  // gateway addresses earlier tests configured on 127.0.0.1.
  await setParameter(api, "SS_AUTHCHALLENGEMODE", 1);
  await setParameter(api, "SS_AUTHENTICATION_MAX_RETRY", 4);
  await setParameter(api, "SS_AUTH_SUSPEND_ALLOW_GATEWAYS", false);
  expect((await reloadConsole(api)).outcome).toBe("applied");
});

test.afterAll(async () => {
  await setParameter(api, "SS_AUTHENTICATION_MAX_RETRY", 6);
  await setParameter(api, "SS_AUTH_SUSPEND_ALLOW_GATEWAYS", true);
  await reloadConsole(api);
});

test("trace a registration: ladder with both challenges, loop flagged, suspension lifted, pcap decoded by tshark", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto("/traces");
  await expectAccessible(page);
  await page.getByLabel("Minutes").fill("5");
  await page.getByLabel("Mapping gateway").selectOption({ label: PHONE.name });
  await page.getByRole("button", { name: "Start trace" }).click();
  await expect(page).toHaveURL(/\/traces\/[^/]+$/);
  const traceId = page.url().split("/").pop() as string;
  await expect(page.getByRole("heading", { name: `Trace: mapping gateway ${PHONE.name}` })).toBeVisible();
  await expect(page.getByTestId("trace-state")).toContainText("Running until");
  await expect(page.getByText(/Waiting for messages that match/)).toBeVisible();

  // A phone whose first answer uses a wrong password, the second the right one: registered.
  const recovered = await runSipp({
    scenario: "register-401-wrong-then-right.xml",
    serverPort: sipPort(),
    users: [[PHONE.name, PHONE.password, PHONE.wrong]],
  });
  expect(recovered.exitCode, recovered.errors).toBe(0);
  const first = page.getByTestId("ladder").first();
  await expect(first.getByTestId("ladder-arrow")).toHaveCount(6, { timeout: 10_000 });
  await expect(first.locator('[data-kind="challenge"]')).toHaveCount(2);
  await expect(first.locator('[data-kind="with credentials"]')).toHaveCount(2);
  await expect(first.getByTestId("ladder-arrow").last()).toContainText("200 REGISTER");
  await expect(first.getByTestId("auth-loop")).toHaveCount(0);

  // The retried REGISTER: its credentials field by field, the response value never.
  await first.getByRole("button", { name: /^3\. REGISTER\b.*with credentials/ }).click();
  const detail = first.getByTestId("message-detail");
  await expect(detail.getByTestId("digest-summary")).toContainText(`username ${PHONE.name}`);
  await expect(detail.getByTestId("digest-summary")).toContainText("realm softswitch.local");
  await expect(detail.getByTestId("digest-summary")).toContainText("algorithm MD5");
  await expect(detail.getByTestId("raw-message")).toContainText('response="***"');
  await expect(detail.getByTestId("raw-message")).not.toContainText(/response="[0-9a-f]{32}"/);
  await page.screenshot({ path: "docs/screenshots/trace.png", fullPage: true });

  // The same phone keeps answering with a wrong password: a loop, then a suspension.
  const looping = await runSipp({
    scenario: "register-401-loop.xml",
    serverPort: sipPort(),
    users: [[PHONE.name, PHONE.wrong]],
  });
  expect(looping.exitCode, looping.errors).toBe(0);
  const loop = page.getByTestId("ladder").nth(1);
  await expect(loop.getByTestId("auth-loop")).toContainText("Authentication loop: 3 challenge/retry cycles", {
    timeout: 10_000,
  });
  await expect(loop.getByTestId("ladder-arrow")).toHaveCount(7);
  await expectAccessible(page);

  const pcap = await page.request.get(`/api/v1/traces/${traceId}/export?format=pcap`);
  const file = path.join(mkdtempSync(path.join(tmpdir(), "ssc-pcap-")), "trace.pcap");
  writeFileSync(file, await pcap.body());
  const tshark = spawnSync(
    "tshark",
    ["-r", file, "-Y", "sip", "-T", "fields", "-e", "sip.Method", "-e", "sip.Status-Code"],
    { encoding: "utf8" },
  );
  expect(tshark.status, tshark.stderr).toBe(0);
  const decoded = tshark.stdout
    .trim()
    .split("\n")
    .map((l) => l.split("\t").filter(Boolean).join(""));
  expect(decoded).toEqual([
    "REGISTER",
    "401",
    "REGISTER",
    "401",
    "REGISTER",
    "200",
    "REGISTER",
    "401",
    "REGISTER",
    "401",
    "REGISTER",
    "401",
    "REGISTER",
  ]);

  await page.getByRole("button", { name: "Stop trace" }).click();
  await expect(page.getByTestId("trace-state")).toContainText("Stopped by");

  // The security monitor: the source suspended, with its reason; lifted (audited), it registers again.
  await page.goto("/security");
  const suspension = page.getByTestId("suspension").filter({ hasText: "127.0.0.1" });
  await expect(suspension).toContainText("4 failed answers to our challenge");
  await expect(suspension).toContainText(PHONE.name);
  await expect(page.getByTestId("failing-source").filter({ hasText: "127.0.0.1" })).toBeVisible();
  await expect(page.getByTestId("failing-gateway").filter({ hasText: PHONE.name })).toContainText("4");
  await expect(page.getByText("No address is exempt: every source can be suspended.")).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: "docs/screenshots/security.png", fullPage: true });
  const suspended = await runSipp({
    scenario: "register-401.xml",
    serverPort: sipPort(),
    users: [[PHONE.name, PHONE.password]],
    timeoutSeconds: 3,
  });
  expect(suspended.exitCode).not.toBe(0);
  await suspension.getByRole("button", { name: "Lift" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Lift suspension" }).click();
  await expect(page.getByText("No source is suspended.")).toBeVisible();
  const again = await runSipp({
    scenario: "register-401.xml",
    serverPort: sipPort(),
    users: [[PHONE.name, PHONE.password]],
  });
  expect(again.exitCode, again.errors).toBe(0);
  const audit = await (await page.request.get("/api/v1/audit?action=security.lift-suspension")).json();
  expect(audit.items[0]).toMatchObject({ action: "security.lift-suspension", entityId: "127.0.0.1" });

  await page.goto("/traces");
  await expect(page.getByTestId("trace-row").first()).toContainText(`mapping gateway ${PHONE.name}`);
  await expect(page.getByTestId("trace-row").first()).toContainText("stopped by");
});
