// The client side of digest (RFC 7616 §3.4): the Authorization / Proxy-Authorization value that
// answers a challenge. The engine needs it when a carrier challenges us; tests use it as the phone.
import {
  computeHa1,
  computeHa2,
  computeResponse,
  computeSessionHa1,
  type HashAlgorithm,
  type Qop,
} from "@/lib/engine/auth/digest";

export interface CredentialsInput {
  readonly username: string;
  readonly password: string;
  readonly realm: string;
  readonly nonce: string;
  readonly method: string;
  /** The digest-uri: the Request-URI, byte for byte. */
  readonly uri: string;
  /** Default MD5; sent as `algorithm=` unless `omitAlgorithm`. */
  readonly algorithm?: HashAlgorithm;
  readonly session?: boolean;
  readonly omitAlgorithm?: boolean;
  /** null: the RFC 2069 form, without qop, nc and cnonce. Default "auth". */
  readonly qop?: Qop | null;
  readonly nc?: number;
  readonly cnonce?: string;
  readonly opaque?: string;
  readonly body?: Buffer | string;
}

// RFC 3261 §25.1: inside a quoted-string, `"` and `\` travel as quoted-pairs.
function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Formats nonce-count as RFC 7616 §3.4 wants it: 8 lower-case hex digits. */
export function formatNonceCount(nc: number): string {
  return nc.toString(16).padStart(8, "0");
}

export function buildCredentials(input: CredentialsInput): string {
  const algorithm = input.algorithm ?? "MD5";
  const qop = input.qop === undefined ? "auth" : input.qop;
  const nc = formatNonceCount(input.nc ?? 1);
  const cnonce = input.cnonce ?? "0a4f113b";
  let ha1 = computeHa1(algorithm, input.username, input.realm, input.password);
  if (input.session === true) ha1 = computeSessionHa1(algorithm, ha1, input.nonce, cnonce);
  const ha2 = computeHa2(algorithm, input.method, input.uri, qop, input.body ?? "");
  const response = computeResponse({ algorithm, ha1, nonce: input.nonce, ha2, qop, nc, cnonce });
  const parts = [
    `Digest username=${quote(input.username)}`,
    `realm=${quote(input.realm)}`,
    `nonce=${quote(input.nonce)}`,
    `uri=${quote(input.uri)}`,
    `response=${quote(response)}`,
  ];
  if (input.omitAlgorithm !== true) parts.push(`algorithm=${algorithm}${input.session === true ? "-sess" : ""}`);
  if (qop !== null) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
  if (input.opaque !== undefined) parts.push(`opaque=${quote(input.opaque)}`);
  return parts.join(", ");
}
