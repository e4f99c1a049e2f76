import { isIPv6 } from "node:net";
import type { TraceMessage } from "@/lib/domain/trace";

// A trace as a classic pcap file (LINKTYPE_RAW: each record is an IPv4 or IPv6 packet) that
// Wireshark and tshark open and decode as SIP. The packets are rebuilt from the captured messages:
// addresses and ports as the engine saw them, checksums left at 0 (not verified by default).

const LINKTYPE_RAW = 101;
const TCP_SEGMENT = 60_000;

function ipv4Bytes(address: string): Buffer {
  return Buffer.from(address.split(".").map(Number));
}

function ipv6Bytes(address: string): Buffer {
  const [head, tail = ""] = address.split("::");
  const groups = (part: string) => (part ? part.split(":") : []);
  const h = groups(head);
  const t = groups(tail);
  const all = address.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16) || 0, i * 2));
  return out;
}

function checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function ipPacket(src: string, dst: string, protocol: number, payload: Buffer): Buffer {
  if (isIPv6(src)) {
    const header = Buffer.alloc(40);
    header.writeUInt32BE(0x60000000, 0);
    header.writeUInt16BE(payload.length, 4);
    header[6] = protocol;
    header[7] = 64;
    ipv6Bytes(src).copy(header, 8);
    ipv6Bytes(dst).copy(header, 24);
    return Buffer.concat([header, payload]);
  }
  const header = Buffer.alloc(20);
  header[0] = 0x45;
  header.writeUInt16BE(20 + payload.length, 2);
  header[8] = 64;
  header[9] = protocol;
  ipv4Bytes(src).copy(header, 12);
  ipv4Bytes(dst).copy(header, 16);
  header.writeUInt16BE(checksum(header), 10);
  return Buffer.concat([header, payload]);
}

function udp(srcPort: number, dstPort: number, data: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16BE(srcPort, 0);
  header.writeUInt16BE(dstPort, 2);
  header.writeUInt16BE(8 + data.length, 4);
  return Buffer.concat([header, data]);
}

function tcp(srcPort: number, dstPort: number, seq: number, ack: number, data: Buffer): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(srcPort, 0);
  header.writeUInt16BE(dstPort, 2);
  header.writeUInt32BE(seq >>> 0, 4);
  header.writeUInt32BE(ack >>> 0, 8);
  header[12] = 5 << 4;
  header[13] = 0x18; // PSH, ACK
  header.writeUInt16BE(65535, 14);
  return Buffer.concat([header, data]);
}

/** The engine's address as seen by a remote of the same family (a wildcard listener is shown as loopback). */
function engineAddressFor(remote: string, listener: string): string {
  if (isIPv6(remote) === isIPv6(listener) && listener !== "0.0.0.0" && listener !== "::") return listener;
  return isIPv6(remote) ? "::1" : "127.0.0.1";
}

export function traceAsPcap(messages: TraceMessage[], engine: { address: string; port: number }): Buffer {
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(262_144, 16);
  global.writeUInt32LE(LINKTYPE_RAW, 20);
  const records: Buffer[] = [global];
  // TCP sequence numbers per direction of each connection, so that Wireshark sees one byte stream.
  const nextSeq = new Map<string, number>();
  for (const m of messages) {
    const local = engineAddressFor(m.remoteAddress, engine.address);
    const [src, srcPort, dst, dstPort] =
      m.direction === "in"
        ? [m.remoteAddress, m.remotePort, local, engine.port]
        : [local, engine.port, m.remoteAddress, m.remotePort];
    const data = Buffer.from(m.text, "latin1");
    const packets: Buffer[] = [];
    if (m.transport === "tcp") {
      const flow = `${src}|${srcPort}|${dst}|${dstPort}`;
      const back = `${dst}|${dstPort}|${src}|${srcPort}`;
      for (let offset = 0; offset < data.length; offset += TCP_SEGMENT) {
        const chunk = data.subarray(offset, offset + TCP_SEGMENT);
        const seq = nextSeq.get(flow) ?? 1;
        packets.push(ipPacket(src, dst, 6, tcp(srcPort, dstPort, seq, nextSeq.get(back) ?? 1, chunk)));
        nextSeq.set(flow, seq + chunk.length);
      }
    } else {
      packets.push(ipPacket(src, dst, 17, udp(srcPort, dstPort, data)));
    }
    const ms = Date.parse(m.at);
    for (const packet of packets) {
      const header = Buffer.alloc(16);
      header.writeUInt32LE(Math.floor(ms / 1000), 0);
      header.writeUInt32LE((ms % 1000) * 1000, 4);
      header.writeUInt32LE(packet.length, 8);
      header.writeUInt32LE(packet.length, 12);
      records.push(header, packet);
    }
  }
  return Buffer.concat(records);
}
