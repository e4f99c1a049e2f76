import { expect, test } from "@playwright/test";
import dgram from "node:dgram";
import net from "node:net";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { mutatedMessageArb } from "../../lib/engine/sip/fuzz-arbitraries";
import { startEngineProcess } from "../helpers/engine-process";
import { options, tcpExchange, udpExchange } from "../helpers/sip-wire";

// Hostile bytes at the running engine: 100,000 mutated and truncated messages (from the torture set
// and valid REGISTER/INVITE) over UDP, 2,000 over TCP. It must never crash, hang or answer 5xx.
const UDP_MESSAGES = 100_000;
const TCP_MESSAGES = 2_000;

function rssMiB(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
  return kb / 1024;
}

test("100,000 mutated datagrams and 2,000 mutated streams: no crash, no 5xx, still answering, memory bounded", async () => {
  test.setTimeout(180_000);
  const engine = await startEngineProcess({ env: { ENGINE_TRACE_CAPACITY: "5000" } });
  const socket = dgram.createSocket("udp4");
  const statuses = new Map<number, number>();
  socket.on("message", (msg) => {
    const status = Number(msg.toString("latin1", 8, 11));
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));

  const seed = 20261125;
  const messages = fc.sample(mutatedMessageArb, { numRuns: UDP_MESSAGES, seed });
  for (let i = 0; i < messages.length; i++) {
    socket.send(messages[i], engine.sipPort, "127.0.0.1");
    // Paced so that loopback buffers do not drop what the engine must read.
    if (i % 100 === 99) await new Promise((r) => setTimeout(r, 4));
  }
  const streams = fc.sample(mutatedMessageArb, { numRuns: TCP_MESSAGES, seed: seed + 1 });
  for (let i = 0; i < streams.length; i += 50) {
    await Promise.all(
      streams.slice(i, i + 50).map(
        (bytes) =>
          new Promise<void>((resolve) => {
            const connection = net.connect(engine.sipPort, "127.0.0.1", () => connection.end(bytes));
            connection.on("data", () => undefined);
            connection.on("close", () => resolve());
            connection.on("error", () => resolve());
            connection.setTimeout(2000, () => connection.destroy());
          }),
      ),
    );
  }
  await new Promise((r) => setTimeout(r, 1000));
  socket.close();

  expect(await udpExchange(options("after-fuzz"), engine.sipPort)).toBe("SIP/2.0 200 OK");
  expect((await tcpExchange(options("after-fuzz-tcp", "TCP"), engine.sipPort)).statusLines).toEqual(["SIP/2.0 200 OK"]);
  const serverErrors = [...statuses.entries()].filter(([status]) => status >= 500 && status !== 501 && status !== 505);
  expect(serverErrors).toEqual([]);
  expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(UDP_MESSAGES / 4);
  // The engine read (nearly) every datagram: a fuzz run that loopback silently dropped proves nothing.
  const received = (await engine.control("/v1/status")).body.counters['sip_messages_received_total{transport="udp"}'];
  expect(received).toBeGreaterThan(UDP_MESSAGES * 0.95);
  const rss = rssMiB(engine.pid);
  console.log(
    `fuzz: engine read ${received} datagrams; answers by status ${JSON.stringify(Object.fromEntries(statuses))}; engine RSS ${rss.toFixed(0)} MiB`,
  );
  expect(rss).toBeLessThan(1024);
  expect(engine.log()).not.toMatch(/uncaught exception/);
  expect(await engine.stop()).toBe(0);
});
