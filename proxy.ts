import { NextResponse, type NextRequest } from "next/server";
import { isHttps } from "@/lib/server/request-origin";
import { contentSecurityPolicy, newNonce, transportSecurityHeaders } from "@/lib/server/security-headers";

// Pages and public/ files pass here (issue 19); API routes and Next's static files do not (a proxy
// would make Next buffer every request body, cut at 10 MB: next.config.mjs gives the API its headers).
// - each response gets Permissions-Policy, and Strict-Transport-Security when it came over HTTPS;
// - pages get a Content-Security-Policy with a fresh nonce, which Next.js reads from the request's
//   CSP header and puts on its own scripts (every page is rendered per request: app/layout.tsx);
// - pages without a session cookie go straight to sign-in; the console layout then checks the
//   session itself on the server (the cookie's presence proves nothing).

// public/ (icons, manifest) is served to everyone: a browser asks for them before anyone signs in.
const NO_SESSION_NEEDED =
  /^\/(?:api\/|_next\/|login|setup|favicon\.ico|icon\.svg|icon-192\.png|icon-512\.png|apple-touch-icon\.png|manifest\.webmanifest)/;

function withHeaders<T extends NextResponse>(response: T, headers: Record<string, string>): T {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export function proxy(req: NextRequest) {
  const https = isHttps(req);
  const headers = transportSecurityHeaders(https);
  if (!NO_SESSION_NEEDED.test(req.nextUrl.pathname) && !req.cookies.has("ssc_session")) {
    return withHeaders(NextResponse.redirect(new URL("/login", req.url)), headers);
  }
  const csp = contentSecurityPolicy(newNonce(), { development: process.env.NODE_ENV === "development", https });
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  return withHeaders(response, { ...headers, "Content-Security-Policy": csp });
}

export const config = {
  matcher: ["/((?!api/|_next/static/|_next/image).*)"],
};
