import { describe, expect, it } from "vitest";
import { authenticateRequest, type AccountHashes, type AuthenticateOptions } from "@/lib/engine/auth/authenticate";
import { challengeFor, type OfferedAlgorithm } from "@/lib/engine/auth/challenge";
import { buildCredentials, type CredentialsInput } from "@/lib/engine/auth/client-credentials";
import { computeHa1 } from "@/lib/engine/auth/digest";
import { NonceService } from "@/lib/engine/auth/nonces";
import { FakeClock } from "@/lib/engine/clock";
import type { SipRequest } from "@/lib/engine/sip/message";
import { parseDatagram } from "@/lib/engine/sip/parser";
import { readTorture } from "@/lib/engine/sip/fixture-files";

const REALM = "softswitch.local";
const RURI = "sip:softswitch.local";
const PASSWORD = 's3cret, "really"';

function hashesFor(username: string, password: string): AccountHashes {
  return {
    ha1Md5: computeHa1("MD5", username, REALM, password),
    ha1Sha256: computeHa1("SHA-256", username, REALM, password),
  };
}

function setup(
  algorithms: OfferedAlgorithm[] = ["MD5", "SHA-256"],
  accounts: Record<string, AccountHashes> = { alice: hashesFor("alice", PASSWORD) },
) {
  const clock = new FakeClock();
  const nonces = new NonceService(clock);
  const options: AuthenticateOptions = {
    realm: REALM,
    algorithms,
    nonceLifetimeSeconds: 300,
    lookup: (u) => accounts[u],
    nonces,
  };
  return { clock, nonces, options };
}

interface RequestInit {
  method?: string;
  uri?: string;
  authorization?: string[];
  proxyAuthorization?: string[];
  body?: string;
}

function makeRequest(init: RequestInit = {}): SipRequest {
  const method = init.method ?? "REGISTER";
  const body = init.body ?? "";
  const lines = [
    `${method} ${init.uri ?? RURI} SIP/2.0`,
    "Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK1",
    "From: <sip:alice@softswitch.local>;tag=1",
    "To: <sip:alice@softswitch.local>",
    "Call-ID: c1@192.0.2.4",
    `CSeq: 2 ${method}`,
    "Max-Forwards: 70",
    ...(init.authorization ?? []).map((v) => `Authorization: ${v}`),
    ...(init.proxyAuthorization ?? []).map((v) => `Proxy-Authorization: ${v}`),
    `Content-Length: ${Buffer.byteLength(body)}`,
    "",
    body,
  ];
  const parsed = parseDatagram(Buffer.from(lines.join("\r\n"), "utf8"));
  if (!parsed.ok || parsed.message.kind !== "request") throw new Error("test request did not parse");
  return parsed.message;
}

/** What a phone sends back: credentials for alice answering `nonce`. */
function answer(nonce: string, overrides: Partial<CredentialsInput> = {}): string {
  return buildCredentials({
    username: "alice",
    password: PASSWORD,
    realm: REALM,
    nonce,
    method: "REGISTER",
    uri: RURI,
    ...overrides,
  });
}

describe("authenticateRequest", () => {
  it("asks for credentials when there are none, without counting a failure", () => {
    const { options } = setup();
    expect(authenticateRequest(makeRequest(), options)).toEqual({ ok: false, kind: "no-credentials" });
  });

  it("accepts MD5 with qop=auth and the RFC 2069 form without qop", () => {
    const { nonces, options } = setup();
    const nonce = nonces.issue();
    expect(authenticateRequest(makeRequest({ authorization: [answer(nonce)] }), options)).toEqual({
      ok: true,
      username: "alice",
      algorithm: "MD5",
    });
    const rfc2069 = answer(nonces.issue(), { qop: null, omitAlgorithm: true });
    expect(rfc2069).not.toContain("qop");
    expect(authenticateRequest(makeRequest({ authorization: [rfc2069] }), options)).toEqual({
      ok: true,
      username: "alice",
      algorithm: "MD5",
    });
  });

  it("verifies SHA-256 credentials against ha1Sha256", () => {
    const good = hashesFor("alice", PASSWORD);
    const { nonces, options } = setup(["SHA-256", "MD5"], {
      alice: good,
      bob: { ha1Md5: good.ha1Md5, ha1Sha256: hashesFor("bob", "other").ha1Sha256 },
    });
    const nonce = nonces.issue();
    const sha = answer(nonce, { algorithm: "SHA-256" });
    expect(authenticateRequest(makeRequest({ authorization: [sha] }), options)).toEqual({
      ok: true,
      username: "alice",
      algorithm: "SHA-256",
    });
    const bob = buildCredentials({
      username: "bob",
      password: "other",
      realm: REALM,
      nonce: nonces.issue(),
      method: "REGISTER",
      uri: RURI,
      algorithm: "SHA-256",
    });
    expect(authenticateRequest(makeRequest({ authorization: [bob] }), options)).toMatchObject({
      ok: true,
      username: "bob",
    });
    const noSha = setup(["SHA-256"], { alice: { ...good, ha1Sha256: null } });
    const nonce2 = noSha.nonces.issue();
    expect(
      authenticateRequest(makeRequest({ authorization: [answer(nonce2, { algorithm: "SHA-256" })] }), noSha.options),
    ).toMatchObject({ kind: "failed", reason: "wrong-credentials" });
  });

  it("accepts qop=auth-int, hashing the body", () => {
    const { nonces, options } = setup();
    const body = "v=0\r\n";
    const creds = answer(nonces.issue(), { method: "INVITE", qop: "auth-int", body });
    expect(
      authenticateRequest(makeRequest({ method: "INVITE", body, proxyAuthorization: [creds] }), options),
    ).toMatchObject({ ok: true });
    const tampered = answer(nonces.issue(), { method: "INVITE", qop: "auth-int", body });
    expect(
      authenticateRequest(makeRequest({ method: "INVITE", body: "v=1\r\n", proxyAuthorization: [tampered] }), options),
    ).toMatchObject({ kind: "failed" });
  });

  it("refuses algorithms that were not offered: SHA-256 when only MD5 is, -sess, SHA-512-256", () => {
    const { nonces, options } = setup(["MD5"]);
    for (const extra of [{ algorithm: "SHA-256" }, { session: true }, { algorithm: "SHA-512-256" }] as const) {
      const result = authenticateRequest(makeRequest({ authorization: [answer(nonces.issue(), extra)] }), options);
      expect(result).toEqual({ ok: false, kind: "failed", reason: "unsupported-algorithm", username: "alice" });
    }
  });

  it("gives an unknown user and a wrong password the very same answer", () => {
    const { nonces, options } = setup(["MD5"], {
      alice: hashesFor("alice", PASSWORD),
      mallory: hashesFor("mallory", "right"),
    });
    const nonce = nonces.issue();
    const request = makeRequest({
      authorization: [
        buildCredentials({
          username: "mallory",
          password: "guess",
          realm: REALM,
          nonce,
          method: "REGISTER",
          uri: RURI,
        }),
      ],
    });
    const wrongPassword = authenticateRequest(request, options);
    const unknownUser = authenticateRequest(request, { ...options, lookup: () => undefined });
    expect(wrongPassword).toEqual({ ok: false, kind: "failed", reason: "wrong-credentials", username: "mallory" });
    expect(unknownUser).toStrictEqual(wrongPassword);
    const nobody = authenticateRequest(
      makeRequest({ authorization: [answer(nonce, { username: "nobody" })] }),
      options,
    );
    expect({ ...nobody, username: "-" }).toStrictEqual({ ...wrongPassword, username: "-" });
  });

  it("answers 400 when uri is not the Request-URI, and accepts the same URI written differently", () => {
    const { nonces, options } = setup();
    const mismatch = answer(nonces.issue(), { uri: "sip:elsewhere.example" });
    expect(authenticateRequest(makeRequest({ authorization: [mismatch] }), options)).toEqual({
      ok: false,
      kind: "bad-request",
      reason: "uri mismatch",
    });
    const sameUri = answer(nonces.issue(), { uri: "SIP:SoftSwitch.Local;transport=udp;lr" });
    const request = makeRequest({ uri: "sip:softswitch.local;lr;transport=UDP", authorization: [sameUri] });
    expect(authenticateRequest(request, options)).toMatchObject({ ok: true });
  });

  it("says stale for a right answer to an expired nonce, failed for a wrong one", () => {
    const { clock, nonces, options } = setup();
    const nonce = nonces.issue();
    clock.advance(300_000);
    expect(authenticateRequest(makeRequest({ authorization: [answer(nonce)] }), options)).toEqual({
      ok: false,
      kind: "stale",
    });
    expect(
      authenticateRequest(makeRequest({ authorization: [answer(nonce, { password: "x" })] }), options),
    ).toMatchObject({ kind: "failed", reason: "wrong-credentials" });
  });

  it("says invalid-nonce for a nonce we did not issue", () => {
    const { options } = setup();
    const foreign = new NonceService(new FakeClock()).issue();
    for (const nonce of [foreign, "dcd98b7102dd2f0e8b11d0f600bfb0c093"]) {
      const result = authenticateRequest(makeRequest({ authorization: [answer(nonce)] }), options);
      expect(result).toEqual({ ok: false, kind: "failed", reason: "invalid-nonce", username: "alice" });
    }
  });

  it("refuses a replayed or falling nonce-count, accepts a rising one", () => {
    const { nonces, options } = setup();
    const nonce = nonces.issue();
    const send = (nc: number, password = PASSWORD) =>
      authenticateRequest(makeRequest({ authorization: [answer(nonce, { nc, password })] }), options);
    expect(send(1)).toMatchObject({ ok: true });
    expect(send(1)).toEqual({ ok: false, kind: "failed", reason: "replay", username: "alice" });
    expect(send(2)).toMatchObject({ ok: true });
    // a wrong answer with a high count must not use up the client's counts
    expect(send(0x50, "wrong")).toMatchObject({ reason: "wrong-credentials" });
    expect(send(3)).toMatchObject({ ok: true });
    expect(send(2)).toMatchObject({ reason: "replay" });
    expect(send(0x10)).toMatchObject({ ok: true });
  });

  it("ignores credentials for another realm, and picks ours among several", () => {
    const { nonces, options } = setup();
    const nonce = nonces.issue();
    const foreign = answer(nonce, { realm: "carrier.example" });
    expect(authenticateRequest(makeRequest({ authorization: [foreign] }), options)).toEqual({
      ok: false,
      kind: "no-credentials",
    });
    const request = makeRequest({
      authorization: [foreign, 'Digest realm="other", broken'],
      proxyAuthorization: [answer(nonce)],
    });
    expect(authenticateRequest(request, options)).toMatchObject({ ok: true, username: "alice" });
  });

  it("accepts Proxy-Authorization in mode 1 and Authorization in mode 2", () => {
    const { nonces, options } = setup();
    expect(challengeFor(1, "REGISTER")?.header).toBe("WWW-Authenticate");
    expect(authenticateRequest(makeRequest({ proxyAuthorization: [answer(nonces.issue())] }), options)).toMatchObject({
      ok: true,
    });
    expect(challengeFor(2, "INVITE")?.header).toBe("Proxy-Authenticate");
    const invite = answer(nonces.issue(), { method: "INVITE" });
    expect(authenticateRequest(makeRequest({ method: "INVITE", authorization: [invite] }), options)).toMatchObject({
      ok: true,
    });
  });

  it("tells an unknown scheme apart (RFC 4475 regaut01), and malformed Digest credentials as 400", () => {
    const { options } = setup();
    const parsed = parseDatagram(readTorture("regaut01"));
    if (!parsed.ok || parsed.message.kind !== "request") throw new Error("regaut01 is a valid request");
    expect(authenticateRequest(parsed.message, { ...options, realm: "example.com" })).toEqual({
      ok: false,
      kind: "unknown-scheme",
    });
    const malformed = makeRequest({ authorization: [`Digest realm="${REALM}", username="alice"`] });
    expect(authenticateRequest(malformed, options)).toEqual({
      ok: false,
      kind: "bad-request",
      reason: "malformed credentials",
    });
    const badQop = makeRequest({ authorization: [answer("n").replace("qop=auth", "qop=auth-conf")] });
    expect(authenticateRequest(badQop, options)).toEqual({
      ok: false,
      kind: "bad-request",
      reason: "malformed credentials",
    });
  });

  it("does not match a userhash username to an account (we never offer userhash)", () => {
    const { nonces, options } = setup();
    const creds = `${answer(nonces.issue())}, userhash=true`;
    expect(authenticateRequest(makeRequest({ authorization: [creds] }), options)).toMatchObject({
      kind: "failed",
      reason: "wrong-credentials",
    });
  });
});
