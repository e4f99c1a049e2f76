import { expect, test } from "@playwright/test";
import { adminStatePath } from "../helpers/env";

// What a browser asks for on its own before and after sign-in: the icons and the manifest in
// public/. A 404 there is a console error on every first page load (Lighthouse's only one).

test("the sign-in page and a console screen load with no console error and no failed request", async ({ browser }) => {
  for (const storageState of [undefined, adminStatePath]) {
    const context = await browser.newContext({ storageState });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console: ${message.text()}`);
      });
      page.on("response", (response) => {
        if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
      });
      await page.goto(storageState ? "/parameters" : "/login");
      await expect(page.locator("h1").first()).toBeVisible();
      // The browser asks for the favicon itself after the load: wait for it.
      await page.waitForLoadState("networkidle");
      expect(problems).toEqual([]);
      const icons = await page
        .locator('link[rel="icon"], link[rel="apple-touch-icon"], link[rel="manifest"]')
        .evaluateAll((links) => links.map((link) => (link as HTMLLinkElement).getAttribute("href")));
      expect(icons).toEqual(
        expect.arrayContaining(["/favicon.ico", "/icon.svg", "/apple-touch-icon.png", "/manifest.webmanifest"]),
      );
    } finally {
      await context.close();
    }
  }
});

test("the icons and the manifest are served to everyone, signed in or not", async ({ request }) => {
  const expected: [string, string][] = [
    ["/favicon.ico", "image/x-icon"],
    ["/icon.svg", "image/svg+xml"],
    ["/apple-touch-icon.png", "image/png"],
    ["/icon-192.png", "image/png"],
    ["/icon-512.png", "image/png"],
    ["/manifest.webmanifest", "application/manifest+json"],
  ];
  for (const [url, type] of expected) {
    const response = await request.get(url, { maxRedirects: 0 });
    expect(response.status(), url).toBe(200);
    expect(response.headers()["content-type"], url).toContain(type);
  }
  const manifest = await (await request.get("/manifest.webmanifest", { maxRedirects: 0 })).json();
  for (const icon of manifest.icons)
    expect((await request.get(icon.src, { maxRedirects: 0 })).status(), icon.src).toBe(200);
});
