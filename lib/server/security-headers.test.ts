import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { config, proxy } from "@/proxy";
import { isHttps } from "@/lib/server/request-origin";
import { contentSecurityPolicy } from "@/lib/server/security-headers";

// Issue 19, finding 8: no Content-Security-Policy, no HSTS even behind X-Forwarded-Proto: https,
// no Permissions-Policy. proxy.ts sets them (the e2e spec checks them on the built console).

const request = (url: string, headers: Record<string, string> = {}) =>
  new NextRequest(new URL(url, "http://console.test"), { headers });

const directives = (csp: string) =>
  Object.fromEntries(
    csp.split(";").map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );

describe("contentSecurityPolicy", () => {
  it("allows scripts only with the nonce and what they load, never inline scripts or eval in production", () => {
    const csp = directives(contentSecurityPolicy("abc123", { development: false, https: false }));
    expect(csp["script-src"]).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(csp["object-src"]).toEqual(["'none'"]);
    expect(csp["frame-ancestors"]).toEqual(["'none'"]);
    expect(csp["base-uri"]).toEqual(["'self'"]);
    expect(csp["upgrade-insecure-requests"]).toBeUndefined();
  });

  it("adds 'unsafe-eval' in development only, and upgrade-insecure-requests over HTTPS only", () => {
    expect(directives(contentSecurityPolicy("n", { development: true, https: false }))["script-src"]).toContain(
      "'unsafe-eval'",
    );
    expect(directives(contentSecurityPolicy("n", { development: false, https: true }))).toHaveProperty(
      "upgrade-insecure-requests",
    );
  });
});

describe("proxy", () => {
  it("gives a page a CSP with a fresh nonce, in the response and in the request Next.js renders from", () => {
    const first = proxy(request("/login"));
    const second = proxy(request("/login"));
    const csp = first.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(second.headers.get("content-security-policy")).not.toContain(nonce);
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(directives(csp)["script-src"]).not.toContain("'unsafe-inline'");
  });

  it("sets Permissions-Policy on pages and public files", () => {
    for (const path of ["/login", "/parameters", "/favicon.ico"])
      expect(proxy(request(path)).headers.get("permissions-policy")).toBe(
        "camera=(), microphone=(), geolocation=(), payment=()",
      );
  });

  it("sets HSTS only when the request came over HTTPS", () => {
    const hsts = "max-age=31536000; includeSubDomains";
    expect(proxy(request("/login")).headers.get("strict-transport-security")).toBeNull();
    expect(
      proxy(request("/login", { "x-forwarded-proto": "http" })).headers.get("strict-transport-security"),
    ).toBeNull();
    expect(proxy(request("/login", { "x-forwarded-proto": "https" })).headers.get("strict-transport-security")).toBe(
      hsts,
    );
    expect(proxy(request("https://console.test/login")).headers.get("strict-transport-security")).toBe(hsts);
  });

  it("still sends a console page without a session cookie to sign-in, with the headers", () => {
    const response = proxy(request("/parameters", { "x-forwarded-proto": "https" }));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("http://console.test/login");
    expect(response.headers.get("strict-transport-security")).not.toBeNull();
    expect(proxy(request("/parameters", { cookie: "ssc_session=x" })).headers.get("location")).toBeNull();
  });

  it("does not see the API (it would buffer every request body), nor Next's static files", () => {
    const matcher = new RegExp(`^${config.matcher[0]}$`);
    for (const seen of ["/", "/login", "/parameters", "/traces/abc", "/favicon.ico"]) expect(seen).toMatch(matcher);
    for (const unseen of ["/api/health", "/api/v1/mapping-gateways/import", "/_next/static/chunks/a.js"])
      expect(unseen).not.toMatch(matcher);
  });
});

describe("next.config.mjs headers for the API", () => {
  type Rule = {
    source: string;
    has?: Array<{ type: string; key: string; value: string }>;
    headers: Array<{ key: string; value: string }>;
  };
  const rules = async (): Promise<Rule[]> => {
    const { default: nextConfig } = await import(pathToFileURL(path.resolve("next.config.mjs")).href);
    return nextConfig.headers();
  };

  it("gives every API response Permissions-Policy", async () => {
    const api = (await rules()).filter((r) => r.source === "/api/:path*" && !r.has);
    expect(api.flatMap((r) => r.headers)).toContainEqual({
      key: "Permissions-Policy",
      value: "camera=(), microphone=(), geolocation=(), payment=()",
    });
  });

  it("gives HSTS to API responses only when X-Forwarded-Proto says https first, as isHttps reads it", async () => {
    const hsts = (await rules()).find((r) => r.headers.some((h) => h.key === "Strict-Transport-Security"))!;
    expect(hsts.source).toBe("/api/:path*");
    expect(hsts.headers).toEqual([{ key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }]);
    const [condition] = hsts.has!;
    expect(condition).toMatchObject({ type: "header", key: "x-forwarded-proto" });
    // Next.js matches a `has` value as ^value$ (prepare-destination.js matchHas).
    const matches = (proto: string) => new RegExp(`^${condition.value}$`).test(proto);
    for (const proto of ["https", "https, http", "https,http"]) {
      expect(matches(proto)).toBe(true);
      expect(isHttps(new Request("http://console.test/", { headers: { "x-forwarded-proto": proto } }))).toBe(true);
    }
    for (const proto of ["http", "http, https", "xhttps", "httpsx"]) {
      expect(matches(proto)).toBe(false);
      expect(isHttps(new Request("http://console.test/", { headers: { "x-forwarded-proto": proto } }))).toBe(false);
    }
  });
});
