import { randomBytes } from "node:crypto";
import dgram from "node:dgram";
import net from "node:net";
import { buildCredentials } from "../../lib/engine/auth/client-credentials";
import type { HashAlgorithm } from "../../lib/engine/auth/digest";
import { getHeader, getHeaderValues } from "../../lib/engine/sip/header-access";
import type { HeaderInit, SipMessage, SipRequest, SipResponse } from "../../lib/engine/sip/message";
import { parseDatagram } from "../../lib/engine/sip/parser";
import { buildRequest, serializeMessage } from "../../lib/engine/sip/serializer";
import { frameStream } from "../../lib/engine/sip/stream-framer";

// The project's own small SIP test client, for what sipp cannot do (SHA-256, chosen nonce-counts,
// old nonces, credentials in the other header). Talks to 127.0.0.1 over UDP or one TCP connection.

export type Transport = "udp" | "tcp";
export type ChallengeHeader = "WWW-Authenticate" | "Proxy-Authenticate";

/** One challenge value of a 401/407, as the client reads it. */
export type Challenge = {
  header: ChallengeHeader;
  realm: string;
  nonce: string;
  algorithm: string;
  qop: string | null;
  stale: boolean;
  opaque?: string;
};

/** How to answer a challenge; the method and uri come from the request being sent. */
export type Answer = {
  challenge: Challenge;
  username: string;
  password: string;
  algorithm?: HashAlgorithm;
  nc?: number;
  cnonce?: string;
  /** The digest uri, when it should differ from the Request-URI. */
  uri?: string;
  /** Put the credentials in the header the challenge did not ask for. */
  otherHeader?: boolean;
};

export type Exchange = { request: SipRequest; response: SipResponse | null; credentials?: string };

const token = () => randomBytes(6).toString("hex");

function params(value: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of value.matchAll(/([\w-]+)=("(?:[^"\\]|\\.)*"|[^,\s]+)/g))
    out.set(m[1].toLowerCase(), m[2].replace(/^"|"$/g, ""));
  return out;
}

/** Every challenge of a response, WWW-Authenticate then Proxy-Authenticate, each in header order. */
export function readChallenges(response: SipResponse): Challenge[] {
  return (["WWW-Authenticate", "Proxy-Authenticate"] as const).flatMap((header) =>
    getHeaderValues(response, header).map((value) => {
      const p = params(value.replace(/^\s*Digest\s+/i, ""));
      return {
        header,
        realm: p.get("realm") ?? "",
        nonce: p.get("nonce") ?? "",
        algorithm: p.get("algorithm") ?? "MD5",
        qop: p.get("qop") ?? null,
        stale: p.get("stale")?.toLowerCase() === "true",
        opaque: p.get("opaque"),
      };
    }),
  );
}

/** The response value of a credentials line (to check that no log carries it). */
export function responseValueOf(credentials: string): string {
  return params(credentials).get("response") ?? "";
}

const branchOf = (m: SipMessage) => /;\s*branch=([^;,\s]+)/i.exec(getHeader(m, "via") ?? "")?.[1];

export class SipClient {
  readonly callId = `${token()}@client`;
  private readonly fromTag = token();
  private cseq = 0;
  private readonly waiters = new Map<string, (r: SipResponse) => void>();

  private constructor(
    readonly transport: Transport,
    readonly serverPort: number,
    readonly localPort: number,
    private readonly write: (bytes: Buffer) => void,
    private readonly end: () => void,
  ) {}

  /** Opens a UDP socket (on `localPort`, or any free one) or a TCP connection to the engine. */
  static async open(
    serverPort: number,
    options: { transport?: Transport; localPort?: number } = {},
  ): Promise<SipClient> {
    let client: SipClient | undefined;
    if (options.transport === "tcp") {
      const socket = net.connect({
        port: serverPort,
        host: "127.0.0.1",
        localAddress: "127.0.0.1",
        localPort: options.localPort,
      });
      await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
      let buffer = Buffer.alloc(0);
      socket.on("data", (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (let f = frameStream(buffer); f.kind === "message"; f = frameStream(buffer)) {
          buffer = buffer.subarray(f.consumed);
          if (f.parsed.ok) client?.receive(f.parsed.message);
        }
      });
      socket.on("error", () => undefined);
      client = new SipClient(
        "tcp",
        serverPort,
        socket.localPort!,
        (b) => socket.write(b),
        () => socket.destroy(),
      );
    } else {
      const socket = dgram.createSocket("udp4");
      await new Promise<void>((resolve) => socket.bind(options.localPort ?? 0, "127.0.0.1", resolve));
      socket.on("message", (msg) => {
        const parsed = parseDatagram(msg);
        if (parsed.ok) client?.receive(parsed.message);
      });
      client = new SipClient(
        "udp",
        serverPort,
        socket.address().port,
        (b) => socket.send(b, serverPort, "127.0.0.1"),
        () => socket.close(),
      );
    }
    return client;
  }

  /** A request as a phone would send it: one Call-ID per client, CSeq rising, a new branch each time. */
  build(method: string, user: string, headers: HeaderInit[] = []): SipRequest {
    const target = method === "REGISTER" ? user : "100";
    const transport = this.transport.toUpperCase();
    return buildRequest({
      method,
      uri: this.uriFor(method),
      headers: [
        ["Via", `SIP/2.0/${transport} 127.0.0.1:${this.localPort};branch=z9hG4bK${token()};rport`],
        ["From", `<sip:${user}@127.0.0.1>;tag=${this.fromTag}`],
        ["To", `<sip:${target}@127.0.0.1>`],
        ["Call-ID", this.callId],
        ["CSeq", `${++this.cseq} ${method}`],
        ["Contact", `<sip:${user}@127.0.0.1:${this.localPort};transport=${this.transport}>`],
        ["Max-Forwards", "70"],
        ...(method === "REGISTER" ? [["Expires", "3600"] as const] : []),
        ...headers,
      ],
    });
  }

  /** The Request-URI: the engine itself for REGISTER, extension 100 at the engine otherwise. */
  uriFor(method: string): string {
    return method === "REGISTER" ? `sip:127.0.0.1:${this.serverPort}` : `sip:100@127.0.0.1:${this.serverPort}`;
  }

  /** Builds and sends a request, answering a challenge when `answer` is given; resolves with its final response. */
  async send(
    method: string,
    user: string,
    options: { answer?: Answer; headers?: HeaderInit[]; waitMs?: number } = {},
  ): Promise<Exchange> {
    const headers = [...(options.headers ?? [])];
    let credentials: string | undefined;
    if (options.answer) {
      const a = options.answer;
      credentials = buildCredentials({
        username: a.username,
        password: a.password,
        realm: a.challenge.realm,
        nonce: a.challenge.nonce,
        method,
        uri: a.uri ?? this.uriFor(method),
        algorithm: a.algorithm ?? (a.challenge.algorithm as HashAlgorithm),
        nc: a.nc,
        cnonce: a.cnonce ?? token(),
        opaque: a.challenge.opaque,
      });
      const [asked, other] =
        a.challenge.header === "WWW-Authenticate"
          ? ["Authorization", "Proxy-Authorization"]
          : ["Proxy-Authorization", "Authorization"];
      headers.push([a.otherHeader ? other : asked, credentials]);
    }
    const request = this.build(method, user, headers);
    return { request, response: await this.transmit(request, options.waitMs), credentials };
  }

  /** Sends a built request; null when no final response comes within `waitMs`. */
  transmit(request: SipRequest, waitMs = 1000): Promise<SipResponse | null> {
    const branch = branchOf(request)!;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(branch);
        resolve(null);
      }, waitMs);
      this.waiters.set(branch, (response) => {
        clearTimeout(timer);
        this.waiters.delete(branch);
        // RFC 3261 §17.1.1.3: the INVITE client transaction acknowledges a non-2xx final response itself
        if (request.method === "INVITE") this.write(serializeMessage(this.ackFor(request, response)));
        resolve(response);
      });
      this.write(serializeMessage(request));
    });
  }

  close(): void {
    this.end();
  }

  private ackFor(invite: SipRequest, response: SipResponse): SipRequest {
    const keep = ["via", "from", "call-id", "max-forwards"];
    const headers: HeaderInit[] = invite.headers.filter((h) => keep.includes(h.key)).map((h) => [h.name, h.value]);
    headers.push(
      ["To", getHeader(response, "to") ?? ""],
      ["CSeq", `${parseInt(getHeader(invite, "cseq") ?? "1", 10)} ACK`],
    );
    return buildRequest({ method: "ACK", uri: invite.uri, headers });
  }

  private receive(message: SipMessage): void {
    if (message.kind !== "response" || message.status < 200) return;
    const branch = branchOf(message);
    if (branch !== undefined) this.waiters.get(branch)?.(message);
  }
}
