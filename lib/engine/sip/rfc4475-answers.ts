// What the engine answers to each RFC 4475 torture message over UDP, as
// lib/engine/sip/fixtures/rfc4475-expected.tsv says, with no gateways configured: "process normally"
// means OPTIONS 200, other known methods 403 (unknown source), unknown methods 501.
// null = no answer (a dropped response, or a retransmission absorbed by its transaction).
// Proven twice: in-process on the engine's own request path (lib/engine/engine-rfc4475.test.ts) and
// over real sockets to the bundled engine (e2e/sip/torture.spec.ts), in the order of the sorted names.

export const RFC4475_UDP_ANSWERS: Readonly<Record<string, number | null>> = {
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
  mpart01: 403, // MESSAGE is a method the engine relays inside calls; from a stranger, 403
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
