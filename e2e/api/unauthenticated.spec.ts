import { expect, test } from "@playwright/test";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

// Enumerates every route file under app/api/v1, so a new route cannot slip past authentication.
const apiRoot = path.resolve(import.meta.dirname, "../../app/api/v1");

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? routeFiles(full) : entry.name === "route.ts" ? [full] : [];
  });
}

const routes = routeFiles(apiRoot).flatMap((file) => {
  const url =
    "/api/v1/" +
    path
      .relative(apiRoot, path.dirname(file))
      .replace(/\[[^\]]+\]/g, "some-id")
      .split(path.sep)
      .join("/");
  const source = readFileSync(file, "utf8");
  // Handlers are exported either as functions or destructured from a route table.
  const declared = [...source.matchAll(/export async function (\w+)/g)].map((m) => m[1]);
  const destructured = [...source.matchAll(/export const \{([^}]+)\}/g)].flatMap((m) =>
    m[1].split(",").map((s) => s.trim()),
  );
  const methods = [...declared, ...destructured].filter((m) => ["GET", "POST", "PUT", "PATCH", "DELETE"].includes(m));
  return methods.map((method) => ({ method, url: url.replace(/\/$/, "") }));
});

test("the route enumeration found the API", () => {
  expect(routes.length).toBeGreaterThanOrEqual(30);
});

for (const { method, url } of routes) {
  test(`${method} ${url} refuses a request with no session and no token`, async ({ request }) => {
    const response = await request.fetch(url, {
      method,
      data: method === "GET" || method === "DELETE" ? undefined : {},
    });
    expect(response.status()).toBe(401);
    expect((await response.json()).error.code).toBe("unauthenticated");
  });

  test(`${method} ${url} refuses a forged bearer token`, async ({ request }) => {
    const response = await request.fetch(url, { method, headers: { authorization: "Bearer ssc_forged" } });
    expect(response.status()).toBe(401);
  });
}

test("health answers without authentication and says the database is reachable", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok", database: "reachable" });
});
