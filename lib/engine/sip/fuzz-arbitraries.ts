// Test support for parser.fuzz.test.ts and scripts/fuzz.ts (never imported by the engine itself):
// fast-check generators that mutate the RFC 4475 messages and valid samples, and the checks
// every mutated input must pass.
import fc from "fast-check";
import { listTortureNames, readTorture, SAMPLE_INVITE, SAMPLE_REGISTER } from "@/lib/engine/sip/fixture-files";
import { exerciseDatagram, exerciseStream } from "@/lib/engine/sip/fuzz-exercise";

export const FUZZ_SEEDS: readonly Buffer[] = [...listTortureNames().map(readTorture), SAMPLE_REGISTER, SAMPLE_INVITE];

const BYTES = [
  13, 10, 32, 9, 58, 59, 44, 34, 60, 62, 92, 37, 0, 64, 91, 93, 61, 45, 47, 48, 57, 63, 42, 0x7f, 0x80, 0xc3, 0xff,
];
const SNIPPETS = [
  "\r\n",
  "\r\n\r\n",
  "\r\n ",
  "\r\n\t",
  "\r",
  "\n",
  " ",
  '"',
  "\\",
  "<",
  ">",
  ",",
  ";",
  ";;",
  "=",
  "%",
  "%G",
  "%0",
  "@",
  "[",
  "]",
  ":",
  "/",
  "SIP/2.0 ",
  " SIP/2.0",
  "sip:",
  "sips:[::1]:",
  "tel:",
  "*",
  "0",
  "-1",
  "4294967296",
  "99999999999999999999999",
  "Content-Length: 5\r\n",
  "l: -3\r\n",
  "Content-Length: 0\r\nContent-Length: 1\r\n",
  "Via: SIP/2.0/UDP [::1\r\n",
  "v: SIP / 2.0 / TCP h ;branch= ,\r\n",
  "Contact: *\r\n",
  'm: "a\\"b" <sip:x@[2001:db8::1]>;q=9;expires=x\r\n',
  "CSeq: 1 INVITE\r\n",
  'To: "unterminated <sip:x@y>\r\n',
  "Call-ID: a@b@c\r\n",
  "Max-Forwards: 256\r\n",
  "Require: a, ,b\r\n",
];

export type Mutation =
  | { readonly op: "flip"; readonly at: number; readonly bit: number }
  | { readonly op: "set"; readonly at: number; readonly byte: number }
  | { readonly op: "insert"; readonly at: number; readonly bytes: readonly number[] }
  | { readonly op: "snippet"; readonly at: number; readonly text: string }
  | { readonly op: "delete"; readonly at: number; readonly length: number }
  | { readonly op: "duplicate-line"; readonly line: number; readonly times: number }
  | { readonly op: "drop-line"; readonly line: number }
  | { readonly op: "truncate"; readonly boundary: number; readonly shift: number };

const at = fc.nat({ max: 1 << 14 });
const byte = fc.oneof(fc.constantFrom(...BYTES), fc.nat({ max: 255 }));

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("flip" as const), at, bit: fc.nat({ max: 7 }) }),
  fc.record({ op: fc.constant("set" as const), at, byte }),
  fc.record({ op: fc.constant("insert" as const), at, bytes: fc.array(byte, { minLength: 1, maxLength: 6 }) }),
  fc.record({ op: fc.constant("snippet" as const), at, text: fc.constantFrom(...SNIPPETS) }),
  fc.record({ op: fc.constant("delete" as const), at, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    op: fc.constant("duplicate-line" as const),
    line: fc.nat({ max: 63 }),
    times: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({ op: fc.constant("drop-line" as const), line: fc.nat({ max: 63 }) }),
  fc.record({
    op: fc.constant("truncate" as const),
    boundary: fc.nat({ max: 1 << 12 }),
    shift: fc.integer({ min: -1, max: 1 }),
  }),
);

/** Offsets where structure changes: line ends, separators, the header/body boundary, the end. */
function boundaries(bytes: Buffer): number[] {
  const out: number[] = [0, bytes.length];
  const headEnd = bytes.indexOf("\r\n\r\n");
  if (headEnd >= 0)
    out.push(headEnd, headEnd + 1, headEnd + 2, headEnd + 3, headEnd + 4, (headEnd + bytes.length) >> 1);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 13 || b === 10 || b === 58 || b === 59 || b === 44 || b === 34 || b === 60 || b === 62 || b === 32)
      out.push(i);
  }
  return out;
}

function lineStarts(bytes: Buffer): number[] {
  const starts = [0];
  for (let i = bytes.indexOf("\r\n"); i >= 0; i = bytes.indexOf("\r\n", i + 2)) starts.push(i + 2);
  return starts;
}

function applyMutation(bytes: Buffer, m: Mutation): Buffer {
  const len = bytes.length;
  const pos = (n: number) => (len === 0 ? 0 : n % (len + 1));
  switch (m.op) {
    case "flip":
    case "set": {
      if (len === 0) return bytes;
      const copy = Buffer.from(bytes);
      const i = m.at % len;
      copy[i] = m.op === "flip" ? copy[i] ^ (1 << m.bit) : m.byte;
      return copy;
    }
    case "insert":
      return Buffer.concat([bytes.subarray(0, pos(m.at)), Buffer.from(m.bytes), bytes.subarray(pos(m.at))]);
    case "snippet":
      return Buffer.concat([bytes.subarray(0, pos(m.at)), Buffer.from(m.text, "latin1"), bytes.subarray(pos(m.at))]);
    case "delete":
      return Buffer.concat([bytes.subarray(0, pos(m.at)), bytes.subarray(pos(m.at) + m.length)]);
    case "duplicate-line":
    case "drop-line": {
      const starts = lineStarts(bytes);
      const k = m.line % starts.length;
      const start = starts[k];
      const end = k + 1 < starts.length ? starts[k + 1] : len;
      const line = bytes.subarray(start, end);
      if (m.op === "drop-line") return Buffer.concat([bytes.subarray(0, start), bytes.subarray(end)]);
      return Buffer.concat([
        bytes.subarray(0, end),
        ...Array.from({ length: m.times }, () => line),
        bytes.subarray(end),
      ]);
    }
    case "truncate": {
      const marks = boundaries(bytes);
      const cut = Math.max(0, Math.min(len, marks[m.boundary % marks.length] + m.shift));
      return bytes.subarray(0, cut);
    }
  }
}

export function applyMutations(seed: Buffer, mutations: readonly Mutation[]): Buffer {
  let bytes = seed;
  for (const m of mutations) bytes = applyMutation(bytes, m);
  return bytes;
}

/** A fixture or sample with one to four mutations applied. */
export const mutatedMessageArb: fc.Arbitrary<Buffer> = fc
  .tuple(fc.nat({ max: FUZZ_SEEDS.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 4 }))
  .map(([seed, mutations]) => applyMutations(FUZZ_SEEDS[seed], mutations));

/** Up to three cut points, to feed a stream in pieces. */
const cutsArb = fc.array(fc.nat({ max: 1 << 12 }), { maxLength: 3 });

export function datagramProperty() {
  return fc.property(mutatedMessageArb, (bytes) => exerciseDatagram(bytes));
}

export function streamProperty() {
  return fc.property(fc.array(mutatedMessageArb, { minLength: 1, maxLength: 3 }), cutsArb, (messages, cuts) =>
    exerciseStream(Buffer.concat(messages), cuts),
  );
}

export interface FuzzProperty {
  readonly name: string;
  /** Share of the runs asked for. */
  readonly share: number;
  /** Runs the property; throws fast-check's report (seed, counterexample) on a failure. */
  readonly run: (numRuns: number, seed?: number) => void;
}

const params = (numRuns: number, seed?: number) => (seed === undefined ? { numRuns } : { numRuns, seed });

/** The properties and their share of a run, for the test and scripts/fuzz.ts. */
export const FUZZ_PROPERTIES: readonly FuzzProperty[] = [
  {
    name: "parseDatagram + classifyRequest + accessors + responses",
    share: 0.7,
    run: (numRuns, seed) => fc.assert(datagramProperty(), params(numRuns, seed)),
  },
  {
    name: "frameStream over pieces + classifyRequest",
    share: 0.3,
    run: (numRuns, seed) => fc.assert(streamProperty(), params(numRuns, seed)),
  },
];
