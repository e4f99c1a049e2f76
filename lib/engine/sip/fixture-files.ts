// Test support: the RFC 4475 fixtures as raw bytes, and handwritten valid messages. Read as
// Buffers, never as strings, so that NUL, bare CR and non-UTF-8 octets reach the parser intact.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const FIXTURE_DIR = fileURLToPath(new URL("./fixtures/rfc4475/", import.meta.url));
const EXPECTED_TSV = fileURLToPath(new URL("./fixtures/rfc4475-expected.tsv", import.meta.url));

/** Names of the .dat files (without extension), sorted. */
export function listTortureNames(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((file) => file.endsWith(".dat"))
    .map((file) => file.slice(0, -4))
    .sort();
}

export function readTorture(name: string): Buffer {
  return readFileSync(`${FIXTURE_DIR}${name}.dat`);
}

export interface ExpectationRow {
  readonly name: string;
  readonly section: string;
  readonly valid: boolean;
  readonly note: string;
}

export function readExpectations(): ExpectationRow[] {
  const lines = readFileSync(EXPECTED_TSV, "utf8").split("\n").slice(1);
  return lines
    .filter((line) => line.trim().length > 0)
    .map((line) => {
      const [name, section, validity, note] = line.split("\t");
      return { name, section, valid: validity === "valid", note };
    });
}

const crlf = (lines: string[]): Buffer => Buffer.from(`${lines.join("\r\n")}\r\n`, "utf8");

/** A REGISTER as a phone behind NAT sends it: IPv6 Via with rport, compact headers, a folded line. */
export const SAMPLE_REGISTER = crlf([
  "REGISTER sip:[2001:db8::10]:5060;transport=udp SIP/2.0",
  "Via: SIP/2.0/UDP [2001:db8::1]:5062;branch=z9hG4bK776asdhds;rport",
  "Via: SIP/2.0/UDP 192.0.2.4:5060;received=192.0.2.99;branch=z9hG4bKnashds7",
  "Max-Forwards: 70",
  'f: "Alice, the \\"first\\"" <sip:alice@example.com>;tag=1928301774',
  "t: <sip:alice@example.com>",
  "i: a84b4c76e66710@pc33.example.com",
  "CSeq: 314159 REGISTER",
  "m: <sip:alice@[2001:db8::1]:5062;transport=udp>;expires=3600;q=0.7,",
  " <sip:alice@192.0.2.4>;expires=60",
  "k: path, gruu",
  "Expires: 7200",
  'Authorization: Digest username="alice", realm="example.com", nonce="abc", uri="sip:example.com", response="0123"',
  "User-Agent: sample/1.0",
  "l: 0",
  "",
]);

/** An INVITE with an SDP body. */
export const SAMPLE_INVITE = (() => {
  const sdp =
    "v=0\r\no=alice 2890844526 2890844526 IN IP4 192.0.2.4\r\ns=-\r\nc=IN IP4 192.0.2.4\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
  const head = crlf([
    "INVITE sip:+15551234567@gw.example.net;user=phone SIP/2.0",
    "Via: SIP/2.0/TCP client.example.com:5060;branch=z9hG4bK74bf9",
    "Max-Forwards: 70",
    "From: Alice <sip:alice@example.com>;tag=9fxced76sl",
    "To: <sip:+15551234567@gw.example.net;user=phone>",
    "Call-ID: 3848276298220188511@client.example.com",
    "CSeq: 1 INVITE",
    "Contact: <sip:alice@client.example.com;transport=tcp>",
    "Route: <sip:proxy.example.com;lr>",
    "Supported: 100rel, timer",
    "Content-Type: application/sdp",
    `Content-Length: ${Buffer.byteLength(sdp)}`,
    "",
  ]);
  return Buffer.concat([head, Buffer.from(sdp, "utf8")]);
})();
