import { expect, test } from "@playwright/test";
import { expectAccessible } from "./helpers/a11y";
import { ADMIN, adminStatePath, setupCodeFromLog } from "./helpers/env";

test("first start: the setup code from the start log creates the first administrator, then setup closes", async ({
  page,
  request,
}) => {
  await page.goto("/login");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Create the first administrator" })).toBeVisible();
  await expectAccessible(page);

  const fill = async (code: string) => {
    await page.getByLabel("Setup code").fill(code);
    await page.getByLabel("Administrator username").fill(ADMIN.username);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
    await page.getByLabel("Repeat password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Create administrator" }).click();
  };

  await fill("AAAA-BBBB-CCCC-DDDD");
  await expect(page.getByRole("alert").filter({ hasText: "The setup code is wrong" })).toBeVisible();

  await fill(setupCodeFromLog());
  await expect(page).toHaveURL(/\/login$/);

  await page.goto("/setup");
  await expect(page).toHaveURL(/\/login$/);
  const again = await request.post("/api/auth/setup", {
    data: { code: "X", username: "intruder", password: "another-password" },
  });
  expect(again.status()).toBe(409);

  // Sign in with the keyboard alone.
  await page.getByLabel("Username").focus();
  await page.keyboard.type(ADMIN.username);
  await page.keyboard.press("Tab");
  await page.keyboard.type(ADMIN.password);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/parameters$/);
  await expect(page.getByRole("heading", { name: "System parameters" })).toBeVisible();
  await page.context().storageState({ path: adminStatePath });
});
