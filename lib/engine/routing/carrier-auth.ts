import { randomBytes } from "node:crypto";
import type { SnapshotRoutingGateway } from "@/lib/domain/config-snapshot";
import { buildCredentials } from "@/lib/engine/auth/client-credentials";
import { parseDigestAlgorithm, type HashAlgorithm } from "@/lib/engine/auth/digest";
import { isClass, skipWs, TOKEN } from "@/lib/engine/sip/chars";
import { getHeaderValues } from "@/lib/engine/sip/header-access";
import type { SipResponse } from "@/lib/engine/sip/message";
import { skipQuoted, unquote } from "@/lib/engine/sip/text";

// Carriers that challenge us (issue 8, DESIGN.md "Routing gateways"): 401 → Authorization,
// 407 → Proxy-Authorization (RFC 3261 §22.2, §22.3), from the routing gateway's credentials; a
// challenge is answered once per realm (a second one that is not stale=true fails), and a realm
// that does not fit the gateway's configured realm gets nothing.

export type CarrierChallenge = {
  readonly realm: string;
  readonly nonce: string;
  readonly algorithm: HashAlgorithm;
  readonly session: boolean;
  /** "auth" when offered (RFC 7616 §3.3), null for an RFC 2069 challenge without qop. */
  readonly qop: "auth" | null;
  readonly opaque: string | undefined;
  readonly stale: boolean;
};

export type AuthAnswer =
  | {
      readonly ok: true;
      readonly header: "Authorization" | "Proxy-Authorization";
      readonly value: string;
      readonly realm: string;
    }
  | {
      readonly ok: false;
      readonly reason: "no-credentials" | "realm-mismatch" | "repeated-challenge" | "unsupported-challenge";
    };

/** auth-param list after the scheme (RFC 7235 §2.1): names lower-cased, values unquoted; null when malformed. */
function readParams(value: string, start: number): Map<string, string> | null {
  const params = new Map<string, string>();
  let i = start;
  while (i < value.length) {
    i = skipWs(value, i);
    if (value.charCodeAt(i) === 44) {
      i++;
      continue;
    }
    if (i >= value.length) break;
    let end = i;
    while (end < value.length && isClass(value.charCodeAt(end), TOKEN)) end++;
    if (end === i) return null;
    const name = value.slice(i, end).toLowerCase();
    i = skipWs(value, end);
    if (value.charCodeAt(i) !== 61) return null;
    i = skipWs(value, i + 1);
    if (value.charCodeAt(i) === 34) {
      end = skipQuoted(value, i);
      if (end < 0) return null;
      params.set(name, unquote(value.slice(i, end)));
    } else {
      end = i;
      while (end < value.length && value.charCodeAt(end) !== 44 && value.charCodeAt(end) !== 32) end++;
      params.set(name, value.slice(i, end));
    }
    i = end;
  }
  return params;
}

/** One WWW-Authenticate / Proxy-Authenticate value we can answer; null otherwise (Basic, SHA-512-256, auth-int only…). */
export function parseCarrierChallenge(value: string): CarrierChallenge | null {
  const start = skipWs(value, 0);
  if (value.slice(start, start + 6).toLowerCase() !== "digest" || !/\s/.test(value.charAt(start + 6))) return null;
  const p = readParams(value, start + 6);
  const realm = p?.get("realm");
  const nonce = p?.get("nonce");
  if (!p || realm === undefined || nonce === undefined) return null;
  const spec = parseDigestAlgorithm(p.get("algorithm") ?? null);
  // The snapshot's carriers are answered with MD5 or SHA-256 (RFC 8760 §2.4: skip what we lack)
  if (!spec || spec.hash === "SHA-512-256") return null;
  const qops = p
    .get("qop")
    ?.split(",")
    .map((q) => q.trim().toLowerCase());
  if (qops !== undefined && !qops.includes("auth")) return null;
  return {
    realm,
    nonce,
    algorithm: spec.hash,
    session: spec.session,
    qop: qops === undefined ? null : "auth",
    opaque: p.get("opaque"),
    stale: p.get("stale")?.toLowerCase() === "true",
  };
}

/**
 * The credentials that answer a 401 or 407 for `request`, or why there are none. `answered` holds
 * the realms this call's attempt has already answered; a realm answered here is added to it.
 */
export function answerCarrierChallenge(
  response: SipResponse,
  gateway: Pick<SnapshotRoutingGateway, "authUsername" | "password" | "authRealm">,
  request: { readonly method: string; readonly uri: string },
  answered: Set<string>,
): AuthAnswer {
  // RFC 3261 §22.2 / §22.3: a 401 carries WWW-Authenticate, a 407 Proxy-Authenticate
  const proxy = response.status === 407;
  const values = getHeaderValues(response, proxy ? "proxy-authenticate" : "www-authenticate");
  if (gateway.authUsername === null || gateway.password === null) return { ok: false, reason: "no-credentials" };
  const challenges = values.map(parseCarrierChallenge).filter((c): c is CarrierChallenge => c !== null);
  if (challenges.length === 0) return { ok: false, reason: "unsupported-challenge" };
  // DESIGN.md: never send a carrier's credentials to a realm that is not that carrier's
  const fitting = challenges.filter(
    (c) => gateway.authRealm === null || c.realm.toLowerCase() === gateway.authRealm.toLowerCase(),
  );
  if (fitting.length === 0) return { ok: false, reason: "realm-mismatch" };
  // The first fitting challenge: RFC 8760 §2.4, the server lists its preferred algorithm first
  const challenge = fitting[0];
  const realmKey = challenge.realm.toLowerCase();
  // RFC 3261 §22.2: a new challenge for credentials just sent means they are wrong, unless stale
  if (answered.has(realmKey) && !challenge.stale) return { ok: false, reason: "repeated-challenge" };
  answered.add(realmKey);
  const value = buildCredentials({
    username: gateway.authUsername,
    password: gateway.password,
    realm: challenge.realm,
    nonce: challenge.nonce,
    method: request.method,
    uri: request.uri,
    algorithm: challenge.algorithm,
    session: challenge.session,
    qop: challenge.qop,
    nc: 1,
    cnonce: randomBytes(8).toString("hex"),
    opaque: challenge.opaque,
  });
  return { ok: true, header: proxy ? "Proxy-Authorization" : "Authorization", value, realm: challenge.realm };
}
