import { expect, test } from "@playwright/test";
import { listTortureNames, readTorture } from "../../lib/engine/sip/fixture-files";
import { startEngineProcess, type EngineProcess } from "../helpers/engine-process";
import { options, tcpExchange, udpExchange } from "../helpers/sip-wire";

// Every RFC 4475 torture message over real sockets to the bundled engine, as
// lib/engine/sip/fixtures/rfc4475-expected.tsv says. With no gateways configured, "process
// normally" means: OPTIONS 200, other known methods 403 (unknown source), unknown methods 501.
// null = no answer (a dropped response, or a retransmission absorbed by its transaction).

const UDP: Record<string, number | null> = {
  badaspec: 400,
  badbranch: 200,
  baddate: 403,
  baddn: 400,
  badinv01: 400,
  badvers: 505,
  bcast: null,
  bext01: 420,
  bigcode: null,
  clerr: 400,
  cparam01: 403,
  cparam02: null, // same branch and sent-by as cparam01: a retransmission (RFC 3261 §17.2.3), absorbed
  dblreq: 403,
  esc01: 403,
  esc02: 501,
  escnull: 403,
  escruri: 400,
  insuf: 400,
  intmeth: 501,
  inv2543: 403,
  invut: 403,
  longreq: 403,
  ltgtruri: 400,
  lwsdisp: 200,
  lwsruri: 400,
  lwsstart: 400,
  mcl01: 400,
  mismatch01: 400,
  mismatch02: 400,
  mpart01: 501,
  multi01: 400,
  ncl: 400,
  noreason: null,
  novelsc: 416,
  quotbal: 400,
  regaut01: 403,
  regbadct: 400,
  regescrt: null, // same branch and sent-by as escnull: absorbed
  scalar02: 400,
  scalarlg: null,
  sdp01: 403,
  semiuri: 200,
  test: null,
  transports: 200,
  trws: 400,
  unkscm: 416,
  unksm2: 400,
  unreason: null,
  wsinv: 403,
  zeromf: 200,
};

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
