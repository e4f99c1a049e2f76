import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeClock } from "@/lib/engine/clock";
import { startEngine, type BindSipTransports, type Engine } from "@/lib/engine/engine";
import { listTortureNames, readExpectations, readTorture } from "@/lib/engine/sip/fixture-files";
import { RFC4475_UDP_ANSWERS } from "@/lib/engine/sip/rfc4475-answers";
import type { Remote } from "@/lib/engine/transport/remote";

// The RFC 4475 torture messages through the engine's own request path (startEngine: parser,
// classifier, transactions, core answers, access control, registrar, B2BUA), with a fake clock and a
// fake UDP transport in place of the sockets. Every answer is the one the engine sends on the wire.

type Sent = { bytes: Buffer; to: Remote };

function fakeTransports(sent: Sent[]): { bind: BindSipTransports; deliver(bytes: Buffer, from: Remote): void } {
  let onDatagram: ((bytes: Buffer, from: Remote) => void) | null = null;
  const transport = () => ({
    send: (bytes: Buffer, to: Remote) => void sent.push({ bytes, to }),
    port: () => 5060,
    connections: () => 0,
    close: async () => undefined,
  });
  return {
    bind: async (_config, datagrams) => {
      onDatagram = datagrams;
      return { udp: transport(), tcp: transport() };
    },
    deliver(bytes, from) {
      if (!onDatagram) throw new Error("the engine has not bound its transports");
      onDatagram(bytes, from);
    },
  };
}

const statusOf = (bytes: Buffer): number | null => {
  const line = bytes.toString("latin1", 0, bytes.indexOf("\r\n"));
  return line.startsWith("SIP/2.0 ") ? Number(line.split(" ")[1]) : null;
};

let engine: Engine;
let dataDir: string;
const sent: Sent[] = [];
const logLines: string[] = [];
const fake = fakeTransports(sent);

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "ssc-rfc4475-"));
  const config = {
    dataDir,
    sipHost: "127.0.0.1",
    sipPort: 5060,
    controlHost: "127.0.0.1",
    controlPort: 0,
    token: undefined,
    traceCapacity: 1000,
    carrierProbeSeconds: 0,
  };
  engine = await startEngine(config, {
    clock: new FakeClock(),
    log: (line) => logLines.push(line),
    bindTransports: fake.bind,
  });
});

afterAll(async () => {
  await engine?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Feeds one datagram from its own source port; the first response sent back to it, or null. */
function answerTo(name: string, sourcePort: number): number | null {
  const from: Remote = { transport: "udp", address: "192.0.2.44", port: sourcePort };
  const before = sent.length;
  fake.deliver(readTorture(name), from);
  const reply = sent.slice(before).find((s) => s.to.address === from.address && s.to.port === from.port);
  return reply ? statusOf(reply.bytes) : null;
}

describe("RFC 4475 torture messages through the engine's request path", () => {
  it("answers each message as the torture table says, the way it does over real sockets", () => {
    const names = listTortureNames();
    expect(Object.keys(RFC4475_UDP_ANSWERS).sort()).toEqual(names);
    const got = Object.fromEntries(names.map((name, i) => [name, answerTo(name, 40000 + i)]));
    expect(got).toEqual(RFC4475_UDP_ANSWERS);
    expect(logLines.join("\n")).not.toMatch(/uncaught|TypeError|RangeError/);
  });

  it("never answers a message the RFC calls valid with 400 or a server error", () => {
    for (const row of readExpectations().filter((r) => r.valid)) {
      const status = RFC4475_UDP_ANSWERS[row.name];
      expect(status === null || (status !== 400 && (status < 500 || status === 501)), `${row.name}: ${row.note}`).toBe(
        true,
      );
    }
  });

  it("still answers OPTIONS afterwards, and counted every datagram it read", () => {
    const options = Buffer.from(
      [
        "OPTIONS sip:softswitch@127.0.0.1 SIP/2.0",
        "Via: SIP/2.0/UDP 192.0.2.44:5999;branch=z9hG4bK-after-torture",
        "From: <sip:probe@192.0.2.44>;tag=probe",
        "To: <sip:softswitch@127.0.0.1>",
        "Call-ID: after-torture",
        "CSeq: 1 OPTIONS",
        "Max-Forwards: 70",
        "Content-Length: 0",
        "",
        "",
      ].join("\r\n"),
      "latin1",
    );
    const before = sent.length;
    fake.deliver(options, { transport: "udp", address: "192.0.2.44", port: 5999 });
    expect(sent.slice(before).map((s) => statusOf(s.bytes))).toEqual([200]);
    expect(engine.status().counters['sip_messages_received_total{transport="udp"}']).toBe(
      listTortureNames().length + 1,
    );
  });
});
