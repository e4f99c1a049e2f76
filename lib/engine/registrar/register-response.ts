import type { HeaderInit } from "@/lib/engine/sip/message";
import type { RegisterResult } from "@/lib/engine/registrar/register-request";

const PHRASES: Record<RegisterResult["status"], string> = {
  200: "OK",
  400: "Bad Request",
  403: "Forbidden",
  423: "Interval Too Brief",
};

/** The reason phrase for the response; a 400 or 403 says why (no secret is ever in it). */
export function registerReasonPhrase(result: RegisterResult): string {
  return result.status === 400 || result.status === 403 ? result.reason : PHRASES[result.status];
}

/**
 * Headers for buildResponse: RFC 3261 §10.3 step 8, one Contact per current binding with the
 * expires the registrar chose (and q when given), Expires for what this request was granted;
 * §10.3 step 7, Min-Expires with 423.
 */
export function registerResponseHeaders(result: RegisterResult): HeaderInit[] {
  if (result.status === 423) return [["Min-Expires", String(result.minExpires)]];
  if (result.status !== 200) return [];
  const headers: HeaderInit[] = [];
  for (const c of result.contacts)
    headers.push(["Contact", `<${c.uri}>;expires=${c.expires}${c.q === null ? "" : `;q=${c.q}`}`]);
  if (result.expires !== undefined) headers.push(["Expires", String(result.expires)]);
  return headers;
}
