import { NextResponse, type NextRequest } from "next/server";

// Pages without a session cookie go straight to sign-in; the console layout then checks the
// session itself on the server (the cookie's presence proves nothing).
export function proxy(req: NextRequest) {
  if (!req.cookies.has("ssc_session")) {
    return NextResponse.redirect(new URL("/login", req.url));
  }
  return NextResponse.next();
}

export const config = {
  // public/ (icons, manifest) is served to everyone: a browser asks for them before anyone signs in.
  matcher: [
    "/((?!api/|_next/|login|setup|favicon.ico|icon.svg|icon-192.png|icon-512.png|apple-touch-icon.png|manifest.webmanifest).*)",
  ],
};
