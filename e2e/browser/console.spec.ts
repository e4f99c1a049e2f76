import { expect, test } from "@playwright/test";
import { expectAccessible } from "../helpers/a11y";
import { ADMIN, adminStatePath } from "../helpers/env";

const VIEWER = { username: "viewer-vera", password: "viewer-password-1" };

test.describe("as the administrator", () => {
  test.use({ storageState: adminStatePath });

  test("creates a viewer and an API token, and every admin screen is accessible", async ({ page }) => {
    await page.goto("/operators");
    await expect(page.getByRole("heading", { name: "Operators" })).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("button", { name: "New operator" }).click();
    const dialog = page.getByRole("dialog", { name: "New operator" });
    await dialog.getByLabel("Username").fill(VIEWER.username);
    await dialog.getByLabel("Initial password").fill("short");
    await dialog.getByRole("button", { name: "Create operator" }).click();
    await expect(dialog.getByText("password must be at least 12 characters", { exact: true })).toBeVisible();
    await expectAccessible(page);
    await dialog.getByLabel("Initial password").fill(VIEWER.password);
    await dialog.getByLabel("Role").selectOption("viewer");
    await dialog.getByRole("button", { name: "Create operator" }).click();
    await expect(page.getByTestId(`operator-${VIEWER.username}`)).toContainText("active");

    await page.getByRole("link", { name: "API tokens" }).click();
    await expect(page.getByRole("heading", { name: "API tokens" })).toBeVisible();
    await page.getByRole("button", { name: "New token" }).click();
    const tokenDialog = page.getByRole("dialog", { name: "New API token" });
    await tokenDialog.getByLabel("Name").fill("nightly export");
    await tokenDialog.getByRole("button", { name: "Create token" }).click();
    const shown = await page.getByTestId("new-token").inputValue();
    expect(shown).toMatch(/^ssc_/);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Done" }).click();
    await expect(page.getByTestId("token-nightly export")).toContainText("viewer");
    await expect(page.locator("body")).not.toContainText(shown);

    const api = await page.request.get("/api/v1/me", { headers: { authorization: `Bearer ${shown}` } });
    expect(await api.json()).toMatchObject({ kind: "token", name: "nightly export", role: "viewer" });

    await page.getByRole("link", { name: "REST API" }).click();
    await expect(page.getByText("/api/v1/parameters/{name}").first()).toBeVisible();
    await expectAccessible(page);
  });
});

test("the viewer signs in, sees no edit controls, and reads the audit entries", async ({ page }) => {
  await page.goto("/parameters");
  await expect(page).toHaveURL(/\/login$/);
  await expectAccessible(page);
  await page.getByLabel("Username").fill(VIEWER.username);
  await page.getByLabel("Password").fill(VIEWER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "System parameters" })).toBeVisible();
  await expect(page.getByTestId("parameter-SS_AUTHCHALLENGEMODE")).toBeVisible();
  await expect(page.getByRole("button", { name: /^Edit / })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Operators" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "API tokens" })).toHaveCount(0);

  await page.goto("/operators");
  await expect(page.getByText("This screen needs the admin role")).toBeVisible();

  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  const created = page
    .getByTestId("audit-row")
    .filter({ hasText: "operator.create" })
    .filter({ hasText: VIEWER.username });
  await expect(created.first()).toContainText(ADMIN.username);
  await expect(page.getByTestId("audit-row").filter({ hasText: "token.create" }).first()).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
});

test("the console works with the keyboard alone: skip link, navigation, dialog open and Escape", async ({ page }) => {
  await page
    .context()
    .addCookies((await (await import("node:fs")).promises.readFile(adminStatePath, "utf8").then(JSON.parse)).cookies);
  await page.goto("/parameters");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  // Tab to the first Edit button and open it with Enter.
  const firstEdit = page.getByRole("button", { name: "Edit SS_AUTHCHALLENGEMODE" });
  for (let i = 0; i < 40 && !(await firstEdit.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press("Tab");
  await expect(firstEdit).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("dialog", { name: "Edit SS_AUTHCHALLENGEMODE" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
});
