import { expect, test } from "@playwright/test";
import { expectAccessible } from "../helpers/a11y";
import { adminStatePath } from "../helpers/env";

test.use({ storageState: adminStatePath });

test("SS_AUTHCHALLENGEMODE to 1 with the recommender: pending badge, active unchanged, reset, audited", async ({
  page,
}) => {
  await page.goto("/parameters");
  const row = page.getByTestId("parameter-SS_AUTHCHALLENGEMODE");
  await expect(row.getByTestId("active-value")).toHaveText("2");
  // Earlier tests left gateway edits pending; this change must add exactly one.
  const badge = page.getByTestId("pending-badge");
  const pendingBefore = Number((await badge.textContent())?.match(/\d+/)?.[0] ?? 0);
  await expectAccessible(page);

  await row.getByRole("button", { name: "Edit SS_AUTHCHALLENGEMODE" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit SS_AUTHCHALLENGEMODE" });
  await dialog.getByText("Which challenge each SIP scenario gets").click();
  await expect(dialog.getByRole("row", { name: /REGISTER from a phone/ })).toContainText("401 + WWW-Authenticate");

  // A carrier and a legacy ATA cannot share one mode: the recommender says so.
  await dialog.getByLabel("SIP carriers / VOS3000-style interconnects").check();
  await dialog.getByLabel("Legacy ATAs (RFC 2543-era firmware)").check();
  await expect(dialog.getByTestId("recommendation")).toContainText("No single mode serves every type");
  await expectAccessible(page);
  await dialog.getByLabel("SIP carriers / VOS3000-style interconnects").uncheck();
  await expect(dialog.getByTestId("recommendation")).toContainText("Recommended: mode 1");
  await dialog.getByRole("button", { name: "Use mode 1" }).click();
  await expect(dialog.getByRole("radio", { name: /401 Unauthorized with WWW-Authenticate/ })).toBeChecked();
  await page.screenshot({ path: "docs/screenshots/challenge-mode.png" });
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toHaveCount(0);

  await expect(badge).toHaveText(`${pendingBefore + 1} pending change${pendingBefore === 0 ? "" : "s"}`);
  await expect(row.getByTestId("active-value")).toHaveText("2");
  await expect(row.getByTestId("saved-value")).toHaveText("1 (pending)");
  await page.screenshot({ path: "docs/screenshots/parameters.png" });

  await page.getByLabel("Show").selectOption("pending");
  await expect(page.getByTestId(/^parameter-/)).toHaveCount(1);
  await page.getByLabel("Show").selectOption("all");

  await row.getByRole("button", { name: "Edit SS_AUTHCHALLENGEMODE" }).click();
  await dialog.getByRole("button", { name: "Reset to default" }).click();
  await expect(badge).toHaveText(
    pendingBefore === 0 ? "No pending changes" : `${pendingBefore} pending change${pendingBefore === 1 ? "" : "s"}`,
  );
  await expect(row.getByTestId("saved-value")).toHaveText("same as active");

  await page.getByRole("link", { name: "Audit log" }).click();
  await page.getByLabel("Kind").selectOption("parameter");
  const rows = page.getByTestId("audit-row").filter({ hasText: "SS_AUTHCHALLENGEMODE" });
  await expect(rows.filter({ hasText: "parameter.reset" }).first()).toContainText("value: 1 → 2");
  await expect(rows.filter({ hasText: "parameter.update" }).first()).toContainText("value: 2 → 1");
});

test("inline validation: an out-of-range number cannot be saved and says why", async ({ page }) => {
  await page.goto("/parameters");
  await page.getByLabel("Search").fill("MAX_RETRY");
  await expect(page.getByTestId("parameter-SS_AUTHCHALLENGEMODE")).toHaveCount(0);
  await page.getByRole("button", { name: "Edit SS_AUTHENTICATION_MAX_RETRY" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel(/Value/).fill("1000");
  await expect(dialog.getByText("SS_AUTHENTICATION_MAX_RETRY must be a whole number from 0 to 999")).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Save" })).toBeDisabled();
  await expectAccessible(page);
});
