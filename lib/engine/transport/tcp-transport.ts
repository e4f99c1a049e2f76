import net from "node:net";
import { frameStream } from "@/lib/engine/sip/stream-framer";
import type { ParseResult } from "@/lib/engine/sip/framing";
import type { Remote } from "@/lib/engine/transport/remote";

// SIP over TCP (RFC 3261 §18.3): messages framed by Content-Length, one buffer per connection,
// limits on idle time and connections per source so that one host cannot exhaust the engine.

export const TCP_LIMITS = { idleMs: 120_000, maxPerSource: 64, maxConnections: 10_000, maxBuffered: 96 * 1024 };

export type TcpTransport = {
  send(bytes: Buffer, to: Remote): void;
  port(): number;
  connections(): number;
  close(): Promise<void>;
};

export type TcpEvents = {
  onMessage(parsed: ParseResult, raw: Buffer, from: Remote): void;
  /** Framing lost: the connection is closed after this (the caller may answer 400 first). */
  onFramingError(reason: string, from: Remote): void;
  onRefused(reason: string, address: string): void;
};

export function startTcp(host: string, port: number, events: TcpEvents, limits = TCP_LIMITS): Promise<TcpTransport> {
  const sockets = new Map<number, net.Socket>();
  const perSource = new Map<string, number>();
  let nextId = 1;

  const server = net.createServer((socket) => {
    const address = socket.remoteAddress ?? "unknown";
    const count = perSource.get(address) ?? 0;
    if (count >= limits.maxPerSource || sockets.size >= limits.maxConnections) {
      events.onRefused(count >= limits.maxPerSource ? "too many connections from this source" : "connection limit reached", address);
      socket.destroy();
      return;
    }
    const id = nextId++;
    const from: Remote = { transport: "tcp", address, port: socket.remotePort ?? 0, connectionId: id };
    sockets.set(id, socket);
    perSource.set(address, count + 1);
    socket.setNoDelay(true);
    socket.setTimeout(limits.idleMs, () => socket.destroy());
    let buffered: Buffer = Buffer.alloc(0);

    socket.on("data", (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      for (;;) {
        const frame = frameStream(buffered);
        if (frame.kind === "error") {
          events.onFramingError(frame.reason, from);
          socket.destroy();
          return;
        }
        if (frame.kind === "need-more") {
          buffered = buffered.subarray(frame.consumed);
          if (buffered.length > limits.maxBuffered) {
            events.onFramingError("message too large", from);
            socket.destroy();
          }
          return;
        }
        const raw = buffered.subarray(0, frame.consumed);
        buffered = buffered.subarray(frame.consumed);
        events.onMessage(frame.parsed, raw, from);
        if (buffered.length === 0) return;
      }
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      sockets.delete(id);
      const left = (perSource.get(address) ?? 1) - 1;
      if (left > 0) perSource.set(address, left);
      else perSource.delete(address);
    });
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve({
        send(bytes, to) {
          const socket = to.connectionId === undefined ? undefined : sockets.get(to.connectionId);
          if (socket && !socket.destroyed) socket.write(bytes);
        },
        port: () => (server.address() as net.AddressInfo).port,
        connections: () => sockets.size,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets.values()) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
