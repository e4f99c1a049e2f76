import dgram from "node:dgram";
import type { Remote } from "@/lib/engine/transport/remote";

export type UdpTransport = {
  send(bytes: Buffer, to: Remote): void;
  port(): number;
  close(): Promise<void>;
};

/** One UDP socket for SIP (RFC 3261 §18). Datagrams go up whole; sends never throw. */
export function startUdp(
  host: string,
  port: number,
  onDatagram: (bytes: Buffer, from: Remote) => void,
  onSendError: (error: Error, to: Remote) => void,
): Promise<UdpTransport> {
  const socket = dgram.createSocket({
    type: host.includes(":") ? "udp6" : "udp4",
    reuseAddr: false,
    recvBufferSize: 4 * 1024 * 1024,
    sendBufferSize: 4 * 1024 * 1024,
  });
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.on("message", (bytes, info) =>
      onDatagram(bytes, { transport: "udp", address: info.address, port: info.port }),
    );
    socket.bind(port, host, () => {
      socket.off("error", reject);
      // Asked for every message sent (Via, Contact): read once, not from the socket each time
      const boundPort = socket.address().port;
      socket.on("error", (error) => onSendError(error, { transport: "udp", address: host, port }));
      resolve({
        send(bytes, to) {
          socket.send(bytes, to.port, to.address, (error) => {
            if (error) onSendError(error, to);
          });
        },
        port: () => boundPort,
        close: () => new Promise((done) => socket.close(() => done())),
      });
    });
  });
}
