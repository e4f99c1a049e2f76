import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "../helpers/a11y";
import { adminStatePath, baseURL } from "../helpers/env";
import { runSipp } from "../helpers/sipp";

test.use({ storageState: adminStatePath });
test.describe.configure({ mode: "serial" });

const sipPort = () => Number(process.env.E2E_SIP_PORT);
const PHONE: [string, string] = ["sipp-phone", "Sipp-Secret-1"];

async function reloadFromScreen(page: Page) {
  await page.goto("/reload");
  await page.getByRole("button", { name: "Reload softswitch" }).click();
  await expect(page.getByTestId("reload-result")).toContainText(/Reloaded: the engine runs version \d+/, {
    timeout: 30_000,
  });
}

test("a Password gateway reloaded from the screen registers with real sipp and shows online", async ({ page }) => {
  await page.goto("/mapping-gateways/new");
  await page.getByLabel("Name").fill(PHONE[0]);
  await page.getByLabel("Authentication mode").selectOption("password");
  await page.getByLabel("Password").fill(PHONE[1]);
  await page.getByRole("button", { name: "Create mapping gateway" }).click();
  await expect(page.getByText("Created. It is pending until the softswitch is reloaded.")).toBeVisible();

  await page.goto("/reload");
  await expect(page.getByTestId("change").filter({ hasText: PHONE[0] })).toContainText("added");
  await expectAccessible(page);
  // Not yet reloaded: the engine does not know the account.
  expect(
    (await runSipp({ scenario: "register-407.xml", serverPort: sipPort(), users: [PHONE], timeoutSeconds: 5 }))
      .exitCode,
  ).not.toBe(0);

  await reloadFromScreen(page);
  await expect(page.getByText("Nothing is pending: the engine runs every saved change.")).toBeVisible();
  await page.screenshot({ path: "docs/screenshots/reload.png" });
  const registered = await runSipp({ scenario: "register-407.xml", serverPort: sipPort(), users: [PHONE] });
  expect(registered.exitCode, registered.errors).toBe(0);

  await page.goto("/mapping-gateways");
  await page.getByLabel("Search").fill(PHONE[0]);
  await expect(page.getByTestId(`gateway-${PHONE[0]}`)).toContainText("online", { timeout: 15_000 });
});

test("SS_AUTHCHALLENGEMODE 1, reloaded: the same sipp REGISTER now gets 401 where it got 407", async ({ page }) => {
  await page.goto("/parameters");
  await page.getByRole("button", { name: "Edit SS_AUTHCHALLENGEMODE" }).click();
  await page
    .getByRole("dialog")
    .getByRole("radio", { name: /401 Unauthorized with WWW-Authenticate/ })
    .check();
  await page.getByRole("dialog").getByRole("button", { name: "Save" }).click();
  await page.goto("/reload");
  await expect(page.getByTestId("change").filter({ hasText: "SS_AUTHCHALLENGEMODE" })).toContainText("value: 2 → 1");
  await reloadFromScreen(page);
  const with401 = await runSipp({ scenario: "register-401.xml", serverPort: sipPort(), users: [PHONE] });
  expect(with401.exitCode, with401.errors).toBe(0);
  expect(
    (await runSipp({ scenario: "register-407.xml", serverPort: sipPort(), users: [PHONE], timeoutSeconds: 5 }))
      .exitCode,
  ).not.toBe(0);

  await page.goto("/history");
  await expect(page.getByRole("heading", { name: "Reload history" })).toBeVisible();
  await expectAccessible(page);
  await page.goto("/dashboard");
  await expect(page.getByTestId("dashboard")).toContainText("Up");
  await expectAccessible(page);
});

test("kill -9 of the engine: the console brings it back with the same version and sipp still registers", async ({
  page,
}) => {
  const before = (await (await page.request.get("/api/v1/engine")).json()).engines[0];
  expect(before.up).toBe(true);
  process.kill(before.pid, "SIGKILL");
  await expect
    .poll(
      async () => {
        const engine = (await (await page.request.get("/api/v1/engine")).json()).engines[0];
        return engine.up && engine.pid !== before.pid ? engine.version : null;
      },
      { timeout: 10_000 },
    )
    .toBe(before.version);
  const again = await runSipp({ scenario: "register-401.xml", serverPort: sipPort(), users: [PHONE] });
  expect(again.exitCode, again.errors).toBe(0);
  await page.goto("/dashboard");
  await expect(page.getByTestId("dashboard")).toContainText(/1 restart/);
  // What the engine found in its dialog journal when it came back (no call was up here)
  await expect(page.getByTestId("dashboard")).toContainText("at its start: 0 call(s) resumed, 0 in setup ended");
});

test("reload under load: sipp registering continuously while ten reloads happen loses no registration", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const load = runSipp({
    scenario: "register-401.xml",
    serverPort: sipPort(),
    users: [PHONE],
    count: 600,
    rate: 40,
    timeoutSeconds: 60,
  });
  const outcomes: string[] = [];
  for (let i = 0; i < 10; i++) {
    // Each reload carries one real change, so each is a new version the engine applies.
    const current = await (await page.request.get("/api/v1/parameters/SS_ENDPOINT_EXPIRE")).json();
    await page.request.patch("/api/v1/parameters/SS_ENDPOINT_EXPIRE", {
      data: { value: current.value === 3600 ? 3599 : 3600, version: current.version },
      headers: { origin: baseURL },
    });
    const { id } = await (await page.request.post("/api/v1/reloads", { headers: { origin: baseURL } })).json();
    await expect
      .poll(async () => (await (await page.request.get(`/api/v1/reloads/${id}`)).json()).step, { timeout: 20_000 })
      .toBe("done");
    outcomes.push((await (await page.request.get(`/api/v1/reloads/${id}`)).json()).outcome);
    await page.waitForTimeout(500);
  }
  expect(outcomes).toEqual(Array(10).fill("applied"));
  const result = await load;
  expect(result.exitCode, result.errors).toBe(0);
});
