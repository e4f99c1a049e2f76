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
  /** An outbound connection (to a carrier) could not be made or broke before use: RFC 3261 §17.1.4. */
  onConnectError?(to: Remote): void;
};

export function startTcp(host: string, port: number, events: TcpEvents, limits = TCP_LIMITS): Promise<TcpTransport> {
  const sockets = new Map<number, net.Socket>();
  const perSource = new Map<string, number>();
  // Connections we opened (RFC 3261 §18.1.1: a request to a TCP destination opens one), by "address|port"
  const outbound = new Map<string, net.Socket>();
  let nextId = 1;

  const server = net.createServer((socket) => {
    const address = socket.remoteAddress ?? "unknown";
    const count = perSource.get(address) ?? 0;
    if (count >= limits.maxPerSource || sockets.size >= limits.maxConnections) {
      events.onRefused(
        count >= limits.maxPerSource ? "too many connections from this source" : "connection limit reached",
        address,
      );
      socket.destroy();
      return;
    }
    serve(socket, address, socket.remotePort ?? 0);
  });

  /** Reads framed messages from a connection, ours or the peer's; responses and requests alike go up. */
  function serve(socket: net.Socket, address: string, port: number): void {
    const id = nextId++;
    const from: Remote = { transport: "tcp", address, port, connectionId: id };
    sockets.set(id, socket);
    perSource.set(address, (perSource.get(address) ?? 0) + 1);
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
  }

  function connectTo(to: Remote): net.Socket {
    const key = `${to.address}|${to.port}`;
    const existing = outbound.get(key);
    if (existing && !existing.destroyed) return existing;
    const socket = net.connect({ host: to.address, port: to.port });
    outbound.set(key, socket);
    let connected = false;
    socket.once("connect", () => {
      connected = true;
      serve(socket, socket.remoteAddress ?? to.address, socket.remotePort ?? to.port);
    });
    socket.on("error", () => socket.destroy());
    socket.once("close", () => {
      if (outbound.get(key) === socket) outbound.delete(key);
      if (!connected) events.onConnectError?.(to);
    });
    return socket;
  }

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve({
        send(bytes, to) {
          const socket = to.connectionId === undefined ? undefined : sockets.get(to.connectionId);
          if (socket && !socket.destroyed) socket.write(bytes);
          // No connection named (a request to a carrier): reuse ours to that address, or open one
          else if (to.connectionId === undefined) connectTo(to).write(bytes);
        },
        port: () => (server.address() as net.AddressInfo).port,
        connections: () => sockets.size,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets.values()) socket.destroy();
            for (const socket of outbound.values()) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
