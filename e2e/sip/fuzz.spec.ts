import { expect, test } from "../helpers/processes";
import dgram from "node:dgram";
import net from "node:net";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { mutatedMessageArb } from "../../lib/engine/sip/fuzz-arbitraries";
import type { EngineProcess } from "../helpers/engine-process";
import { options, tcpExchange, udpExchange } from "../helpers/sip-wire";

// Hostile bytes at the running engine: 100,000 mutated and truncated messages (from the torture set
// and valid REGISTER/INVITE) over UDP, 2,000 over TCP. It must never crash, hang or answer 5xx.
// Judged on what the engine read, never on how fast this machine is: loopback may drop datagrams on
// a loaded box, and the count read is printed, not asserted.
const UDP_MESSAGES = 100_000;
const TCP_MESSAGES = 2_000;
/** Datagrams sent before waiting for the engine to catch up (a few hundred fit in a socket buffer). */
const WINDOW = 200;

function rssMiB(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
  return kb / 1024;
}

const udpRead = async (engine: EngineProcess): Promise<number> =>
  (await engine.control("/v1/status")).body.counters['sip_messages_received_total{transport="udp"}'] ?? 0;

/** Paced by acknowledgement: waits until the engine has read everything sent, or stops reading (drops). */
async function waitForEngine(engine: EngineProcess, sent: number): Promise<void> {
  let previous = -1;
  for (let read = await udpRead(engine); read < sent && read !== previous; read = await udpRead(engine)) {
    previous = read;
    await new Promise((r) => setTimeout(r, 5));
  }
}

test("100,000 mutated datagrams and 2,000 mutated streams: no crash, no 5xx, still answering, memory bounded", async ({
  processes,
}) => {
  test.setTimeout(300_000);
  const engine = await processes.engine({ env: { ENGINE_TRACE_CAPACITY: "5000" } });
  const socket = dgram.createSocket("udp4");
  const statuses = new Map<number, number>();
  socket.on("message", (msg) => {
    const status = Number(msg.toString("latin1", 8, 11));
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));

  try {
    const seed = 20261125;
    const messages = fc.sample(mutatedMessageArb, { numRuns: UDP_MESSAGES, seed });
    for (let i = 0; i < messages.length; i++) {
      socket.send(messages[i], engine.sipPort, "127.0.0.1");
      if (i % WINDOW === WINDOW - 1) await waitForEngine(engine, i + 1);
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
              // A reset by the engine (it closes connections whose framing is broken) is an expected outcome.
              connection.on("error", () => resolve());
              connection.setTimeout(2000, () => connection.destroy());
            }),
        ),
      );
    }
    await new Promise((r) => setTimeout(r, 1000));
  } finally {
    socket.close();
  }

  expect(await udpExchange(options("after-fuzz"), engine.sipPort)).toBe("SIP/2.0 200 OK");
  expect((await tcpExchange(options("after-fuzz-tcp", "TCP"), engine.sipPort)).statusLines).toEqual(["SIP/2.0 200 OK"]);
  const read = await udpRead(engine);
  const answered = [...statuses.values()].reduce((a, b) => a + b, 0);
  const rss = rssMiB(engine.pid);
  console.log(
    `fuzz: engine read ${read} of ${UDP_MESSAGES} datagrams and answered ${answered}; answers by status ${JSON.stringify(Object.fromEntries(statuses))}; engine RSS ${rss.toFixed(0)} MiB`,
  );
  // What the engine read, it answered without a server error (501 and 505 are refusals, not failures).
  expect(read).toBeGreaterThan(0);
  expect(answered).toBeGreaterThan(0);
  const serverErrors = [...statuses.entries()].filter(([status]) => status >= 500 && status !== 501 && status !== 505);
  expect(serverErrors).toEqual([]);
  expect(rss).toBeLessThan(1024);
  expect(engine.log()).not.toMatch(/uncaught exception/);
  expect(await engine.stop()).toBe(0);
});
