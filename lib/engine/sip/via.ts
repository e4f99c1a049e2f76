import { isDigit, isWs, scanClass, scanDigits, skipWs, TOKEN } from "@/lib/engine/sip/chars";
import { parsedFail, parsedOk, type Parsed } from "@/lib/engine/sip/message";
import { paramValue, parseHeaderParams, type HeaderParam } from "@/lib/engine/sip/params";
import { splitList } from "@/lib/engine/sip/text";
import { parsePort, scanHost } from "@/lib/engine/sip/uri";

/** One Via value (RFC 3261 §20.42). */
export interface Via {
  /** "SIP/2.0" (name and version, whitespace around "/" removed). */
  readonly protocol: string;
  /** Upper-case transport token: UDP, TCP, TLS, SCTP, WS, or an extension. */
  readonly transport: string;
  /** sent-by host as written; an IPv6 reference keeps its brackets. */
  readonly host: string;
  readonly port: number | null;
  readonly params: readonly HeaderParam[];
  readonly branch: string | null;
  readonly received: string | null;
  /** RFC 3581: null when absent, true when present without a value (a request for it), else the port. */
  readonly rport: number | true | null;
}

/** End of a token at `i` after optional whitespace, then optional whitespace and "/" (RFC 3261 §25.1 SLASH). */
function scanProtocolPart(s: string, i: number): number {
  return scanClass(s, skipWs(s, i), TOKEN);
}

export function parseVia(value: string): Parsed<Via> {
  const nameStart = skipWs(value, 0);
  const nameEnd = scanProtocolPart(value, nameStart);
  let i = skipWs(value, nameEnd);
  if (nameEnd === nameStart || value.charCodeAt(i) !== 47) return parsedFail("bad sent-protocol");
  const versionStart = skipWs(value, i + 1);
  const versionEnd = scanClass(value, versionStart, TOKEN);
  i = skipWs(value, versionEnd);
  if (versionEnd === versionStart || value.charCodeAt(i) !== 47) return parsedFail("bad sent-protocol");
  const transportStart = skipWs(value, i + 1);
  const transportEnd = scanClass(value, transportStart, TOKEN);
  // RFC 3261 §25.1: via-parm = sent-protocol LWS sent-by
  if (transportEnd === transportStart || !isWs(value.charCodeAt(transportEnd))) return parsedFail("bad sent-protocol");
  const hostStart = skipWs(value, transportEnd);
  const hostEnd = scanHost(value, hostStart);
  if (hostEnd < 0) return parsedFail("bad sent-by host");
  i = skipWs(value, hostEnd);
  let port: number | null = null;
  if (value.charCodeAt(i) === 58) {
    const portStart = skipWs(value, i + 1);
    const portEnd = scanDigits(value, portStart);
    port = parsePort(value, portStart, portEnd);
    if (port === null) return parsedFail("bad sent-by port");
    i = portEnd;
  }
  const params = parseHeaderParams(value, i);
  if (!params.ok) return params;
  const branch = paramValue(params.value, "branch");
  if (branch === null) return parsedFail("branch without a value");
  const rport = readRport(paramValue(params.value, "rport"));
  if (rport === undefined) return parsedFail("bad rport");
  return parsedOk({
    protocol: `${value.slice(nameStart, nameEnd)}/${value.slice(versionStart, versionEnd)}`,
    transport: value.slice(transportStart, transportEnd).toUpperCase(),
    host: value.slice(hostStart, hostEnd),
    port,
    params: params.value,
    branch: branch ?? null,
    received: paramValue(params.value, "received") ?? null,
    rport,
  });
}

function readRport(raw: string | null | undefined): number | true | null | undefined {
  if (raw === undefined) return null;
  if (raw === null) return true;
  for (let k = 0; k < raw.length; k++) if (!isDigit(raw.charCodeAt(k))) return undefined;
  return raw.length <= 5 && Number(raw) <= 65535 ? Number(raw) : undefined;
}

/** Every Via value of every Via line, top first; an empty or malformed value fails the whole list. */
export function parseViaList(lines: readonly string[]): Parsed<Via[]> {
  const vias: Via[] = [];
  for (const line of lines) {
    for (const item of splitList(line)) {
      if (item.length === 0) return parsedFail("empty Via value");
      const via = parseVia(item);
      if (!via.ok) return via;
      vias.push(via.value);
    }
  }
  return parsedOk(vias);
}

/** RFC 3261 §17.2.3: only a branch that starts with the magic cookie and carries more is 3261-style. */
export function isRfc3261Branch(branch: string | null): boolean {
  return branch !== null && branch.length > 7 && branch.startsWith("z9hG4bK");
}
