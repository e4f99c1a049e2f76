import { expect, test } from "@playwright/test";
import { expectAccessible } from "../helpers/a11y";
import { adminStatePath, baseURL } from "../helpers/env";
import { startSipp } from "../helpers/sipp";

test.use({ storageState: adminStatePath });

test("the Test button on a routing gateway: a carrier challenging with 407 answers, and the SIP messages are shown", async ({ page }) => {
  const carrier = await startSipp({ scenario: "carrier-test-407.xml", timeoutSeconds: 30 });
  const created = await page.request.post("/api/v1/routing-gateways", {
    data: { name: "test-button-carrier", address: "127.0.0.1", port: carrier.localPort, authUsername: "carrier", password: "carrier-secret" },
    headers: { origin: baseURL },
  });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  const { id: job } = await (await page.request.post("/api/v1/reloads", { headers: { origin: baseURL } })).json();
  await expect.poll(async () => (await (await page.request.get(`/api/v1/reloads/${job}`)).json()).outcome, { timeout: 30_000 }).toBe("applied");

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
