import { describe, expect, it } from "vitest";
import { applyMutations, FUZZ_PROPERTIES, FUZZ_SEEDS } from "@/lib/engine/sip/fuzz-arbitraries";
import { exerciseDatagram, exerciseStream } from "@/lib/engine/sip/fuzz-exercise";

// 120,000 mutated messages in the normal run (about 5 s here); `npx tsx scripts/fuzz.ts 1000000` for long runs.
const RUNS = 120_000;

describe("SIP parser under mutated input (fast-check)", () => {
  for (const { name, share, run } of FUZZ_PROPERTIES) {
    it(`${name}: no exception escapes`, { timeout: 60_000 }, () => {
      run(Math.round(RUNS * share));
    });
  }

  it("every seed, truncated at every byte and fed as a stream cut at every byte, survives", { timeout: 60_000 }, () => {
    for (const seed of FUZZ_SEEDS) {
      for (let cut = 0; cut <= seed.length; cut += seed.length > 1000 ? 7 : 1) {
        exerciseDatagram(seed.subarray(0, cut));
        exerciseStream(seed, [cut]);
      }
    }
  });

  it("the mutations do what they say", () => {
    const seed = Buffer.from("A: 1\r\nB: 2\r\n\r\nbody");
    expect(applyMutations(seed, [{ op: "duplicate-line", line: 1, times: 2 }]).toString()).toBe(
      "A: 1\r\nB: 2\r\nB: 2\r\nB: 2\r\n\r\nbody",
    );
    expect(applyMutations(seed, [{ op: "drop-line", line: 0 }]).toString()).toBe("B: 2\r\n\r\nbody");
    expect(applyMutations(seed, [{ op: "delete", at: 0, length: 3 }]).toString()).toBe("1\r\nB: 2\r\n\r\nbody");
    expect(applyMutations(seed, [{ op: "snippet", at: 4, text: ";;" }]).toString()).toBe("A: 1;;\r\nB: 2\r\n\r\nbody");
    expect(applyMutations(seed, [{ op: "flip", at: 0, bit: 5 }]).toString()).toBe("a: 1\r\nB: 2\r\n\r\nbody");
    expect(applyMutations(seed, [{ op: "truncate", boundary: 0, shift: 0 }])).toHaveLength(0);
  });
});
