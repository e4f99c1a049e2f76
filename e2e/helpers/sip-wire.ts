import dgram from "node:dgram";
import net from "node:net";

/** Sends one datagram from a fresh socket and returns the first response's status line, or null. */
export function udpExchange(bytes: Buffer, port: number, waitMs = 400): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket("udp4");
    const timer = setTimeout(() => {
      socket.close();
      resolve(null);
    }, waitMs);
    socket.on("message", (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(msg.toString("latin1").split("\r\n")[0]);
    });
    socket.bind(0, "127.0.0.1", () => socket.send(bytes, port, "127.0.0.1"));
  });
}

/** Writes bytes on a new TCP connection; returns every status line received and whether the engine closed it. */
export function tcpExchange(
  bytes: Buffer,
  port: number,
  waitMs = 400,
): Promise<{ statusLines: string[]; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    let closed = false;
    socket.on("data", (d) => (received += d.toString("latin1")));
    socket.on("close", () => (closed = true));
    socket.on("error", () => (closed = true));
    socket.on("connect", () => socket.write(bytes));
    setTimeout(() => {
      socket.destroy();
      resolve({ statusLines: received.split("\r\n").filter((l) => l.startsWith("SIP/2.0 ")), closed });
    }, waitMs);
  });
}

export function options(callId: string, transport: "UDP" | "TCP" = "UDP"): Buffer {
  return Buffer.from(
    [
      "OPTIONS sip:softswitch@127.0.0.1 SIP/2.0",
      `Via: SIP/2.0/${transport} 127.0.0.1:5999;branch=z9hG4bK-${callId}`,
      "From: <sip:probe@127.0.0.1>;tag=probe",
      "To: <sip:softswitch@127.0.0.1>",
      `Call-ID: ${callId}`,
      "CSeq: 1 OPTIONS",
      "Max-Forwards: 70",
      "Content-Length: 0",
      "",
      "",
    ].join("\r\n"),
    "latin1",
  );
}
