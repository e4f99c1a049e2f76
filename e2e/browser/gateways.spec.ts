import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "../helpers/a11y";
import { adminStatePath } from "../helpers/env";

test.use({ storageState: adminStatePath });

async function createMapping(page: Page, name: string, mode: string, fill: (page: Page) => Promise<void>) {
  await page.goto("/mapping-gateways/new");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Authentication mode").selectOption(mode);
  await fill(page);
  await page.getByRole("button", { name: "Create mapping gateway" }).click();
  await expect(page.getByText("Created. It is pending until the softswitch is reloaded.")).toBeVisible();
  await expect(page.getByRole("heading", { name })).toBeVisible();
}

test("mapping gateways of each mode: the form shows only the fields the mode needs, validates inline, saves and edits", async ({
  page,
}) => {
  await page.goto("/mapping-gateways/new");
  await expect(page.getByLabel("IP addresses")).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveCount(0);
  await page.getByLabel("Authentication mode").selectOption("password");
  await expect(page.getByLabel("IP addresses")).toHaveCount(0);
  await expect(page.getByLabel("Password")).toBeVisible();
  await expectAccessible(page);

  // Inline validation before anything is sent.
  await page.getByLabel("Authentication mode").selectOption("ip-port");
  await page.getByLabel("Name").fill("ui-trunk");
  await page.getByLabel("IP addresses").fill("10.20.30.400");
  await page.getByRole("button", { name: "Create mapping gateway" }).click();
  await expect(page.getByText('"10.20.30.400" is not an IPv4 or IPv6 address')).toBeVisible();
  await page.getByLabel("IP addresses").fill("10.20.30.40");
  await page.getByRole("button", { name: "Create mapping gateway" }).click();
  await expect(page.getByText("IP+Port mode needs a port")).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Port", { exact: true }).fill("5070");
  await page.getByRole("button", { name: "Create mapping gateway" }).click();
  await expect(page.getByText("Created. It is pending until the softswitch is reloaded.")).toBeVisible();

  await createMapping(page, "ui-pbx", "ip", async (p) => {
    await p.getByLabel("IP addresses").fill("10.20.30.50, 2001:db8::50");
  });
  await createMapping(page, "ui-phone", "password", async (p) => {
    await p.getByLabel("Password").fill("Phone-Secret-9");
  });
  await expect(page.getByText("password set (never shown)")).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveValue("");

  // Edit: change capacity; the version goes up and the value stays after a reload of the page.
  await page.getByLabel("Capacity (concurrent calls)").fill("25");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved. The change is pending until the softswitch is reloaded.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Capacity (concurrent calls)")).toHaveValue("25");
  await expect(page.getByText(/version 2/)).toBeVisible();
  await expect(page.locator("body")).not.toContainText("Phone-Secret-9");

  await page.goto("/mapping-gateways");
  await page.getByLabel("Search").fill("ui-");
  await expect(page.getByText("Page 1 of 1 · 3 mapping gateways")).toBeVisible();
  await page.getByLabel("Mode").selectOption("password");
  await expect(page.getByTestId(/^gateway-ui-/)).toHaveCount(1);
  await expect(page.getByTestId("gateway-ui-phone")).toContainText("user ui-phone");
  await expectAccessible(page);
  await page.screenshot({ path: "docs/screenshots/mapping-gateways.png" });
});

test("routing gateways: a register-out carrier needs credentials, then saves", async ({ page }) => {
  await page.goto("/routing-gateways/new");
  await page.getByLabel("Name", { exact: true }).fill("ui-carrier");
  await page.getByLabel("Kind").selectOption("register-out");
  await page.getByLabel("Address").fill("sip.carrier.example");
  await page.getByLabel("Prefixes").fill("+1, 1");
  await page.getByRole("button", { name: "Create routing gateway" }).click();
  await expect(
    page.getByText("A register-out routing gateway needs a username: we register to the carrier with them"),
  ).toBeVisible();
  await page.getByLabel("Username").fill("acct-77");
  await page.getByLabel("Password").fill("Carrier-Secret-7");
  await page.getByRole("button", { name: "Create routing gateway" }).click();
  await expect(page.getByText("Created. It is pending until the softswitch is reloaded.")).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Kind").selectOption("dynamic");
  await expect(page.getByLabel("Address")).toHaveCount(0);
});

test("CSV import: a bad row is rejected with its reason and nothing written; a good file imports with progress", async ({
  page,
}) => {
  await page.goto("/mapping-gateways");
  await page.getByRole("button", { name: "Import CSV" }).click();
  const dialog = page.getByRole("dialog", { name: "Import gateways from CSV" });
  const bad = "name,authMode,ipAddresses,port\nui-csv-1,ip,10.77.0.1,\nui-csv-2,ip-port,10.77.0.2,\n";
  await dialog
    .getByLabel("CSV file")
    .setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
  await expect(dialog.getByTestId("import-preview")).toContainText("1 of 2 rows are invalid");
  await expect(dialog.getByTestId("import-preview")).toContainText("Line 3 (ui-csv-2): IP+Port mode needs a port");
  await expect(dialog.getByRole("button", { name: /^Import/ })).toBeDisabled();
  await expectAccessible(page);

  const good = "name,authMode,ipAddresses,port\nui-csv-1,ip,10.77.0.1,\nui-csv-2,ip-port,10.77.0.2,5060\n";
  await dialog
    .getByLabel("CSV file")
    .setInputFiles({ name: "good.csv", mimeType: "text/csv", buffer: Buffer.from(good) });
  await expect(dialog.getByTestId("import-preview")).toContainText("All 2 rows are valid: 2 to create, 0 to update.");
  await dialog.getByRole("button", { name: "Import 2 rows" }).click();
  await expect(dialog.getByText("Imported 2: 2 created, 0 updated. Pending until reload.")).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).click();
  await page.getByLabel("Search").fill("ui-csv");
  await expect(page.getByText("Page 1 of 1 · 2 mapping gateways")).toBeVisible();

  // Bulk disable with confirmation.
  await page.getByLabel("Select every gateway on this page").check();
  await page.getByRole("button", { name: "Disable" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Disable 2" }).click();
  await expect(page.getByText("Disabled 2. The change is pending until reload.")).toBeVisible();
  await expect(page.getByTestId("gateway-ui-csv-1")).toContainText("disabled");
});
