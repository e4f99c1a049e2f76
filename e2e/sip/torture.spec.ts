import { expect, test } from "@playwright/test";
import { listTortureNames, readTorture } from "../../lib/engine/sip/fixture-files";
import { RFC4475_UDP_ANSWERS } from "../../lib/engine/sip/rfc4475-answers";
import { startEngineProcess, type EngineProcess } from "../helpers/engine-process";
import { options, tcpExchange, udpExchange } from "../helpers/sip-wire";

// Every RFC 4475 torture message over real sockets to the bundled engine (answers in
// lib/engine/sip/rfc4475-answers.ts).
const UDP = RFC4475_UDP_ANSWERS;

// Over TCP, framing follows RFC 3261 §18.3: no Content-Length (inv2543) or a bad one (ncl, mcl01)
// closes the connection; a body still to come (clerr) or no final empty line (baddn, test) waits;
// dblreq's trailing INVITE is a second message. Timer J is 0, so nothing is absorbed.
const TCP: Record<string, string> = {
  ...Object.fromEntries(Object.entries(UDP).map(([name, status]) => [name, status === null ? "" : String(status)])),
  baddn: "",
  clerr: "",
  cparam02: "403",
  regescrt: "403",
  dblreq: "403,403 closed",
  inv2543: " closed",
  mcl01: " closed",
  ncl: " closed",
};

let engine: EngineProcess;
test.beforeAll(async () => {
  engine = await startEngineProcess();
});
test.afterAll(async () => {
  expect(await engine.stop()).toBe(0);
});

test("the expectation table covers every torture file", () => {
  expect(Object.keys(UDP).sort()).toEqual(listTortureNames().sort());
});

test("every torture message over UDP is answered or dropped as RFC 4475 expects, and the engine still answers", async () => {
  const got: Record<string, number | null> = {};
  for (const name of listTortureNames().sort()) {
    const line = await udpExchange(readTorture(name), engine.sipPort, 300);
    got[name] = line === null ? null : Number(line.split(" ")[1]);
  }
  expect(got).toEqual(UDP);
  expect(await udpExchange(options("after-udp-torture"), engine.sipPort)).toBe("SIP/2.0 200 OK");
  expect(engine.log()).not.toMatch(/uncaught|TypeError|RangeError/);
});

test("every torture message over TCP is answered, waited for or closed as RFC 3261 §18.3 says", async () => {
  // A fresh engine: the UDP run left transactions with the same branches alive (Timer J, 32 s).
  await engine.stop();
  engine = await startEngineProcess();
  const got: Record<string, string> = {};
  await Promise.all(
    listTortureNames().map(async (name) => {
      const { statusLines, closed } = await tcpExchange(readTorture(name), engine.sipPort, 500);
      got[name] = statusLines.map((l) => l.split(" ")[1]).join(",") + (closed ? " closed" : "");
    }),
  );
  expect(got).toEqual(TCP);
  const after = await tcpExchange(options("after-tcp-torture", "TCP"), engine.sipPort);
  expect(after.statusLines).toEqual(["SIP/2.0 200 OK"]);
});
