import { expect, test } from "@playwright/test";
import { expectAccessible } from "../helpers/a11y";
import { adminStatePath } from "../helpers/env";

// The route and auth simulator screen: a dry run shown side by side for the running and the pending
// configuration (its decisions are proven in e2e/api/simulator.spec.ts and the dry-run unit tests).

test.use({ storageState: adminStatePath });

test("the route simulator shows, for running and pending, how a stranger's REGISTER is challenged", async ({
  page,
}) => {
  await page.goto("/simulator");
  await expectAccessible(page);
  await page.getByLabel("Source address").fill("198.51.100.250");
  await page.getByLabel("Source port").fill("5060");
  await page.getByLabel("Method").selectOption("REGISTER");
  await page.getByLabel("Caller").fill("1000");
  await page.getByLabel("Callee").fill("1000");
  await page.getByRole("button", { name: "Simulate" }).click();
  for (const which of ["running", "pending"]) {
    await expect(page.getByTestId(`simulation-${which}`).getByTestId("outcome")).toHaveText(
      /^(401 Unauthorized|407 Proxy Authentication Required)$/,
    );
  }
  await expectAccessible(page);
  await page.screenshot({ path: "docs/screenshots/simulator.png", fullPage: true });
});
