import { randomBytes } from "node:crypto";

// Response headers of issue 19, set by proxy.ts. X-Frame-Options, X-Content-Type-Options and
// Referrer-Policy stay in next.config.mjs (the same on every response).

/** Nothing in the console uses these browser features; a script injected despite the CSP cannot either. */
export const PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()";

/** One year, subdomains included; sent only on responses that went out over HTTPS. */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

/** A fresh nonce for one page response (128 random bits, base64). */
export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * The page's Content-Security-Policy (the Next.js 16 nonce recipe): scripts only with this
 * response's nonce, and what those load ('strict-dynamic'); never 'unsafe-inline' for scripts.
 * 'unsafe-eval' only in development (React's dev tools need it). Styles allow inline: the screens
 * set style attributes, which a nonce cannot cover. upgrade-insecure-requests only over HTTPS, so
 * a console reached over plain HTTP on a LAN keeps working.
 */
export function contentSecurityPolicy(nonce: string, options: { development: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** The headers every response gets: Permissions-Policy, and HSTS when the request came over HTTPS. */
export function transportSecurityHeaders(https: boolean): Record<string, string> {
  return {
    "Permissions-Policy": PERMISSIONS_POLICY,
    ...(https ? { "Strict-Transport-Security": STRICT_TRANSPORT_SECURITY } : {}),
  };
}
