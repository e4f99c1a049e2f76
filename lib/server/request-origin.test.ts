import { describe, expect, it } from "vitest";
import { hasForeignOrigin, isHttps, isSameOriginWrite } from "@/lib/server/request-origin";

const URL_ = "http://console.example.com:3000/api/parameters";

function req(method: string, headers: Record<string, string> = {}, url = URL_): Request {
  return new Request(url, { method, headers });
}

describe("isSameOriginWrite", () => {
  it.each(["GET", "HEAD", "OPTIONS"])("lets %s through whatever its origin (reads change nothing)", (method) => {
    expect(isSameOriginWrite(req(method))).toBe(true);
    expect(isSameOriginWrite(req(method, { host: "console.example.com:3000", origin: "https://evil.example" }))).toBe(
      true,
    );
  });

  it.each(["POST", "PUT", "PATCH", "DELETE"])("accepts a %s whose Origin matches the Host", (method) => {
    expect(
      isSameOriginWrite(req(method, { host: "console.example.com:3000", origin: "http://console.example.com:3000" })),
    ).toBe(true);
  });

  it("refuses a POST from another origin", () => {
    expect(isSameOriginWrite(req("POST", { host: "console.example.com:3000", origin: "https://evil.example" }))).toBe(
      false,
    );
  });

  it("refuses a POST from the same host name on another port", () => {
    expect(
      isSameOriginWrite(req("POST", { host: "console.example.com:3000", origin: "http://console.example.com:4000" })),
    ).toBe(false);
  });

  it("refuses a malformed or opaque Origin", () => {
    expect(isSameOriginWrite(req("POST", { host: "console.example.com:3000", origin: "not a url" }))).toBe(false);
    expect(isSameOriginWrite(req("POST", { host: "console.example.com:3000", origin: "null" }))).toBe(false);
  });

  it("lets Origin decide even when Sec-Fetch-Site says same-origin", () => {
    expect(
      isSameOriginWrite(
        req("POST", {
          host: "console.example.com:3000",
          origin: "https://evil.example",
          "sec-fetch-site": "same-origin",
        }),
      ),
    ).toBe(false);
  });

  it("falls back to Sec-Fetch-Site when there is no Origin", () => {
    expect(isSameOriginWrite(req("POST", { host: "console.example.com:3000", "sec-fetch-site": "same-origin" }))).toBe(
      true,
    );
    expect(isSameOriginWrite(req("POST", { host: "console.example.com:3000", "sec-fetch-site": "cross-site" }))).toBe(
      false,
    );
    expect(isSameOriginWrite(req("POST", { host: "console.example.com:3000", "sec-fetch-site": "same-site" }))).toBe(
      false,
    );
  });

  it("refuses a POST with neither Origin nor Sec-Fetch-Site", () => {
    expect(isSameOriginWrite(req("POST", { host: "console.example.com:3000" }))).toBe(false);
    expect(isSameOriginWrite(req("DELETE"))).toBe(false);
  });

  it("honours X-Forwarded-Host from a reverse proxy over Host", () => {
    const behindProxy = { host: "127.0.0.1:3000", "x-forwarded-host": "console.example.com" };
    expect(isSameOriginWrite(req("POST", { ...behindProxy, origin: "https://console.example.com" }))).toBe(true);
    expect(isSameOriginWrite(req("POST", { ...behindProxy, origin: "http://127.0.0.1:3000" }))).toBe(false);
  });
});

describe("isHttps", () => {
  it("trusts the first X-Forwarded-Proto", () => {
    expect(isHttps(req("GET", { "x-forwarded-proto": "https" }))).toBe(true);
    expect(isHttps(req("GET", { "x-forwarded-proto": "https, http" }))).toBe(true);
    expect(isHttps(req("GET", { "x-forwarded-proto": "http" }))).toBe(false);
    expect(isHttps(req("GET", { "x-forwarded-proto": "http" }, "https://console.example.com/"))).toBe(false);
  });

  it("uses the URL scheme without a proxy header", () => {
    expect(isHttps(req("GET", {}, "https://console.example.com/"))).toBe(true);
    expect(isHttps(req("GET", {}, "http://console.example.com/"))).toBe(false);
  });
});

describe("isSameOriginWrite behind proxies and with unusual host headers", () => {
  it("uses the first host of a forwarded-host list", () => {
    expect(
      isSameOriginWrite(
        req("POST", {
          origin: "https://console.example.com",
          "x-forwarded-host": "console.example.com, proxy.internal",
        }),
      ),
    ).toBe(true);
  });
  it("ignores case and the default port in the host header", () => {
    expect(
      isSameOriginWrite(req("POST", { origin: "https://console.example.com", host: "Console.Example.com:443" })),
    ).toBe(true);
  });
  it("still refuses another host", () => {
    expect(isSameOriginWrite(req("POST", { origin: "https://evil.example", host: "console.example.com:443" }))).toBe(
      false,
    );
  });
});

describe("hasForeignOrigin", () => {
  it("is false without an Origin (scripts) and for our own origin, true for another site", () => {
    expect(hasForeignOrigin(req("POST", { host: "console.example.com" }))).toBe(false);
    expect(hasForeignOrigin(req("POST", { host: "console.example.com", origin: "https://console.example.com" }))).toBe(
      false,
    );
    expect(hasForeignOrigin(req("POST", { host: "console.example.com", origin: "https://evil.example" }))).toBe(true);
  });
});
