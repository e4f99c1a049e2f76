import { expect, test } from "../helpers/processes";
import { expectAccessible } from "../helpers/a11y";
import { adminStatePath, baseURL } from "../helpers/env";
import { freeSipPort, runSipp } from "../helpers/sipp";

test.use({ storageState: adminStatePath });

test("the Test button on a routing gateway: a carrier challenging with 407 answers, and the SIP messages are shown", async ({
  page,
  processes,
}) => {
  const carrier = await processes.sipp({ scenario: "carrier-test-407.xml", timeoutSeconds: 30 });
  const created = await page.request.post("/api/v1/routing-gateways", {
    data: {
      name: "test-button-carrier",
      address: "127.0.0.1",
      port: carrier.localPort,
      authUsername: "carrier",
      password: "carrier-secret",
    },
    headers: { origin: baseURL },
  });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  const { id: job } = await (await page.request.post("/api/v1/reloads", { headers: { origin: baseURL } })).json();
  await expect
    .poll(async () => (await (await page.request.get(`/api/v1/reloads/${job}`)).json()).outcome, { timeout: 30_000 })
    .toBe("applied");

  await page.goto(`/routing-gateways/${id}`);
  await page.getByLabel("Number to call").fill("0044999");
  await page.getByRole("button", { name: "Test", exact: true }).click();
  const result = page.getByTestId("test-call-result");
  await expect(result).toContainText(/407 challenge/, { timeout: 30_000 });
  await result.getByText(/SIP messages/).click();
  await expect(result).toContainText("Proxy-Authorization: Digest");
  await expect(result).not.toContainText(/response="[0-9a-f]{32}"/);
  await expectAccessible(page);
  expect((await carrier.done).exitCode).toBe(0);
});

test("the call records and current calls screens are accessible and say what to do when empty", async ({ page }) => {
  await page.goto("/calls");
  await expect(page.getByRole("heading", { name: "Current calls" })).toBeVisible();
  await expect(page.getByText("No call in progress.")).toBeVisible();
  await expectAccessible(page);
  await page.goto("/cdrs");
  await expect(page.getByRole("heading", { name: "Call records" })).toBeVisible();
  await expect(page.getByTestId("cdr-totals")).toBeVisible();
  await expectAccessible(page);
});

test("hang up from the Current calls screen: both legs end, the record says the server ended it, the audit log has it", async ({
  page,
  processes,
}) => {
  const callerPort = await freeSipPort();
  const carrier = await processes.sipp({ scenario: "carrier-answer.xml", timeoutSeconds: 30 });
  const post = (url: string, data: unknown) => page.request.post(url, { data, headers: { origin: baseURL } });
  expect(
    (
      await post("/api/v1/mapping-gateways", {
        name: "hangup-pbx",
        authMode: "ip-port",
        ipAddresses: ["127.0.0.1"],
        port: callerPort,
      })
    ).status(),
  ).toBe(201);
  expect(
    (
      await post("/api/v1/routing-gateways", {
        name: "hangup-carrier",
        address: "127.0.0.1",
        port: carrier.localPort,
        prefixes: ["0033"],
      })
    ).status(),
  ).toBe(201);
  const { id: job } = await (await page.request.post("/api/v1/reloads", { headers: { origin: baseURL } })).json();
  await expect
    .poll(async () => (await (await page.request.get(`/api/v1/reloads/${job}`)).json()).outcome, { timeout: 30_000 })
    .toBe("applied");

  const caller = runSipp({
    scenario: "call-uac-callee-hangs-up.xml",
    serverPort: Number(process.env.E2E_SIP_PORT),
    localPort: callerPort,
    service: "0033123",
    timeoutSeconds: 20,
  });
  await page.goto("/calls");
  const row = page.getByTestId("live-call").filter({ hasText: "0033123" });
  await expect(row).toContainText("answered", { timeout: 10_000 });
  await expectAccessible(page);
  await row.getByRole("button", { name: "Hang up" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Hang up" }).click();
  await expect(page.getByText("No call in progress.")).toBeVisible({ timeout: 10_000 });
  const ran = await caller;
  expect(ran.exitCode, ran.errors).toBe(0);
  expect((await carrier.done).exitCode).toBe(0);

  await expect
    .poll(async () => (await (await page.request.get("/api/v1/cdrs?callee=0033123")).json()).items[0]?.endedBy, {
      timeout: 15_000,
    })
    .toBe("server");
  const audit = await (await page.request.get("/api/v1/audit?action=call.hang-up")).json();
  expect(audit.items[0]).toMatchObject({ action: "call.hang-up", actor: "admin" });
});
