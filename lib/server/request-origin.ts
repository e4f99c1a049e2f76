/** True when the request reached us over HTTPS (directly or through a proxy that says so). */
export function isHttps(req: Request): boolean {
  const forwarded = req.headers.get("x-forwarded-proto");
  if (forwarded) return forwarded.split(",")[0].trim() === "https";
  return new URL(req.url).protocol === "https:";
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF: a state-changing request carrying a session cookie must come from the console's own
 * origin. Browsers send Origin on cross-site POSTs; Sec-Fetch-Site is the fallback.
 */
export function isSameOriginWrite(req: Request): boolean {
  if (SAFE_METHODS.has(req.method)) return true;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  const origin = req.headers.get("origin");
  if (origin) {
    try {
      return host !== null && new URL(origin).host === host;
    } catch {
      return false;
    }
  }
  return req.headers.get("sec-fetch-site") === "same-origin";
}
