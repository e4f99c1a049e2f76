import { expect, request, test, type Locator, type Page } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../../scripts/bench/console-server";
import { expectAccessible } from "../helpers/a11y";
import { startConsoleServer, type ConsoleServer } from "../helpers/console-server";
import { freeSipPort, runSipp, startSipp, type SippHandle } from "../helpers/sipp";

// Issue 11 end to end on a fresh install (its own console, database and engine): the checklist's
// steps fail with the right reason, are fixed through their links, and end all green, with sipp as
// the device that registers and as the carrier that challenges the test call.

const ADMIN = { username: "installer", password: "fresh-install-password-1" };
const PHONE = { name: "wizard-phone", weak: "12345678", strong: "Tr4nsit-Lobby-42" };
const CARRIER = { name: "wizard-carrier", username: "carrier", password: "Carrier-Secret-7" };
let fresh: ConsoleServer;
let sipPort: number;
let carrier: SippHandle;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  sipPort = await freeSipPort();
  fresh = await startConsoleServer({
    dir: mkdtempSync(path.join(tmpdir(), "ssc-fresh-")),
    port: await freePort(),
    sipPort,
    controlPort: await freePort(),
  });
  const api = await request.newContext({ baseURL: fresh.url, extraHTTPHeaders: { origin: fresh.url } });
  const setup = await api.post("/api/auth/setup", { data: { code: fresh.setupCode(), ...ADMIN } });
  expect(setup.status(), await setup.text()).toBe(201);
  // The carrier: OPTIONS, then 407 to each test INVITE; the second test call answers it.
  carrier = await startSipp({ scenario: "carrier-test-407.xml", count: 2, timeoutSeconds: 200 });
});

test.afterAll(async () => {
  await carrier?.stop();
  await fresh?.stop();
});

async function check(step: Locator, status: "pass" | "warn" | "fail" | "waiting", text?: string) {
  await step.getByRole("button", { name: /^Check( again)?$/ }).click();
  await expect(step.getByTestId("step-status")).toHaveText(status, { timeout: 30_000 });
  if (text) await expect(step.getByTestId("step-result")).toContainText(text);
}

async function reload(page: Page) {
  await page.getByRole("button", { name: "Reload softswitch" }).click();
  await expect(page.getByTestId("reload-result")).toContainText(/Reloaded: the engine runs version \d+/, {
    timeout: 30_000,
  });
}

test("the deployment checklist on a fresh install: fails with reasons, fixed through its links, all green", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const context = await browser.newContext({ baseURL: fresh.url });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Username", { exact: true }).fill(ADMIN.username);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/parameters$/);
  await page.goto("/checklist");
  await expect(page.getByTestId("checklist-progress")).toHaveText("0 of 8 steps pass.");
  const step = (n: number) => page.getByTestId(`step-${n}`);

  // 1. GoIP gateways need 401 on REGISTER: the default mode 2 fails; the link leads to the fix.
  await step(1).getByLabel("GoIP GSM gateways").check();
  await check(step(1), "fail", "Mode 2 does not serve GoIP GSM gateways: set 3.");
  await step(1).getByRole("link", { name: "Set SS_AUTHCHALLENGEMODE to 3" }).click();
  await page.getByRole("button", { name: "Edit SS_AUTHCHALLENGEMODE" }).click();
  await page
    .getByRole("dialog")
    .getByRole("radio", { name: /Both, by method/ })
    .check();
  await page.getByRole("dialog").getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  await page.goto("/checklist");
  await check(step(1), "pass", "Mode 3 serves every endpoint type ticked.");

  // 2. and 3. No gateway yet; then one with a default password; then a strong one.
  await check(step(2), "fail", "No enabled mapping gateway");
  await step(2).getByRole("link", { name: "Add a mapping gateway" }).click();
  await page.getByLabel("Name", { exact: true }).fill(PHONE.name);
  await page.getByLabel("Authentication mode").selectOption("password");
  await page.getByLabel("Password", { exact: true }).fill(PHONE.weak);
  await page.getByRole("button", { name: "Create mapping gateway" }).click();
  await expect(page.getByText("Created. It is pending until the softswitch is reloaded.")).toBeVisible();
  await page.goto("/checklist");
  await check(step(2), "pass");
  await check(step(3), "fail", `${PHONE.name} has a weak password: a well-known default password.`);
  await step(3)
    .getByRole("link", { name: `Set a strong password on ${PHONE.name}` })
    .click();
  await page.getByLabel("Password", { exact: true }).fill(PHONE.strong);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved. The change is pending until the softswitch is reloaded.")).toBeVisible();
  await page.goto("/checklist");
  await check(step(3), "pass");

  // 4. No carrier; then one without credentials: a warning until step 7 shows it challenges.
  await check(step(4), "fail", "No enabled routing gateway");
  await step(4).getByRole("link", { name: "Add a routing gateway" }).click();
  await page.getByLabel("Name", { exact: true }).fill(CARRIER.name);
  await page.getByLabel("Address", { exact: true }).fill("127.0.0.1");
  await page.getByLabel("Port", { exact: true }).fill(String(carrier.localPort));
  await page.getByRole("button", { name: "Create routing gateway" }).click();
  await expect(page.getByText(/Created/)).toBeVisible();
  await page.goto("/checklist");
  await check(step(4), "warn", "has no credentials; fine if the carrier does not challenge");

  // 5. Everything above is pending until a reload.
  await check(step(5), "fail", "saved changes are not running yet");
  await step(5).getByRole("link", { name: "Review and reload" }).click();
  await reload(page);
  await page.goto("/checklist");
  await check(step(5), "pass");

  // 6. Watch the phone register: sipp is the device (mode 3: 401 on REGISTER).
  await step(6).getByLabel("Password gateway whose device will register").selectOption({ label: PHONE.name });
  await check(step(6), "waiting", `Waiting for ${PHONE.name} to register`);
  const device = await runSipp({
    scenario: "register-401.xml",
    serverPort: sipPort,
    users: [[PHONE.name, PHONE.strong]],
  });
  expect(device.exitCode, device.errors).toBe(0);
  await expect(step(6).getByTestId("step-status")).toHaveText("pass", { timeout: 20_000 });
  await expect(step(6).getByTestId("step-result")).toContainText(
    `${PHONE.name} registered: challenged, answered with credentials, accepted.`,
  );

  // 7. The carrier challenges the test call and the softswitch has no credentials for it.
  await step(7).getByLabel("Carrier to test").selectOption({ label: CARRIER.name });
  await step(7).getByLabel("Test number").fill("4930123456");
  await step(7).getByLabel("Test number").blur();
  await check(step(7), "fail", `${CARRIER.name} challenged the test INVITE and has no credentials to answer with.`);
  await check(step(4), "fail", `${CARRIER.name} needs credentials: it challenged the checklist's test call.`);
  await step(7)
    .getByRole("link", { name: `Set the credentials of ${CARRIER.name}` })
    .click();
  await page.getByLabel("Username", { exact: true }).fill(CARRIER.username);
  await page.getByLabel("Password", { exact: true }).fill(CARRIER.password);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved. The change is pending until the softswitch is reloaded.")).toBeVisible();
  await page.goto("/checklist");
  await check(step(4), "pass");
  await check(step(5), "fail", "1 saved change is not running yet.");
  await step(5).getByRole("link", { name: "Review and reload" }).click();
  await reload(page);
  await page.goto("/checklist");
  await check(step(5), "pass");
  await check(step(7), "pass", `${CARRIER.name} challenged the test INVITE and accepted our credentials (200 OK).`);

  // 8. No loop, nobody suspended.
  await check(step(8), "pass", "No authentication loop and no configured gateway suspended.");
  await expect(page.getByTestId("checklist-progress")).toContainText("8 of 8 steps pass. The deployment is verified.");
  await expectAccessible(page);
  await page.screenshot({ path: "docs/screenshots/checklist.png", fullPage: true });

  // Resumed: the progress is kept; the summary can be saved; the REST API sees the same state.
  await page.reload();
  await expect(page.getByTestId("checklist-progress")).toContainText("8 of 8 steps pass.");
  const summary = await (await page.request.get("/api/v1/checklist/summary")).text();
  expect(summary).toContain(`Softswitch deployment checklist — ${ADMIN.username}`);
  expect(summary).toContain("7. Test outbound call authentication: PASS");
  expect(summary).toContain("8 of 8 steps pass.");
  const state = await (await page.request.get("/api/v1/checklist")).json();
  expect(state.passed).toBe(8);
  await context.close();
});
