/** True when the request reached us over HTTPS (directly or through a proxy that says so). */
export function isHttps(req: Request): boolean {
  const forwarded = req.headers.get("x-forwarded-proto");
  if (forwarded) return forwarded.split(",")[0].trim() === "https";
  return new URL(req.url).protocol === "https:";
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The Origin header matches the host the request was sent to (case and default ports ignored). */
function originMatchesHost(req: Request, origin: string): boolean {
  const host = (req.headers.get("x-forwarded-host") ?? req.headers.get("host"))?.split(",")[0].trim();
  if (!host || !URL.canParse(origin)) return false;
  const theirs = new URL(origin);
  const ours = `${theirs.protocol}//${host}`;
  return URL.canParse(ours) && new URL(ours).host === theirs.host;
}

/** A browser said the request comes from another site (sign-in and sign-out refuse it). */
export function hasForeignOrigin(req: Request): boolean {
  const origin = req.headers.get("origin");
  return origin !== null && !originMatchesHost(req, origin);
}

/**
 * CSRF: a state-changing request carrying a session cookie must come from the console's own
 * origin. Browsers send Origin on cross-site POSTs; Sec-Fetch-Site is the fallback.
 */
export function isSameOriginWrite(req: Request): boolean {
  if (SAFE_METHODS.has(req.method)) return true;
  const origin = req.headers.get("origin");
  if (origin) return originMatchesHost(req, origin);
  return req.headers.get("sec-fetch-site") === "same-origin";
}
