// `npx tsx scripts/fuzz.ts [runs] [seed]` (`npm run fuzz`): the SIP parser fuzz properties of
// lib/engine/sip/parser.fuzz.test.ts for as many runs as asked (default 1,000,000), in batches so
// that progress, speed and memory show as it goes. Exits 1 with the counterexample on a failure.
import { FUZZ_PROPERTIES } from "@/lib/engine/sip/fuzz-arbitraries";

const BATCH = 100_000;

function usage(): never {
  console.error("usage: npx tsx scripts/fuzz.ts [runs] [seed]");
  process.exit(2);
}

const runs = process.argv[2] === undefined ? 1_000_000 : Number(process.argv[2]);
const seed = process.argv[3] === undefined ? Date.now() % 2 ** 31 : Number(process.argv[3]);
if (!Number.isSafeInteger(runs) || runs < 1 || !Number.isSafeInteger(seed)) usage();

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
console.log(`SIP parser fuzz: ${runs} runs, seed ${seed}`);
const started = performance.now();
let total = 0;

for (const [index, { name, share, run }] of FUZZ_PROPERTIES.entries()) {
  const target = Math.max(1, Math.round(runs * share));
  const propertyStarted = performance.now();
  for (let done = 0, batch = 0; done < target; batch++) {
    const numRuns = Math.min(BATCH, target - done);
    try {
      run(numRuns, seed + index * 1_000_003 + batch);
    } catch (error) {
      console.error(`FAIL: ${name}\n${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
    done += numRuns;
    const seconds = (performance.now() - propertyStarted) / 1000;
    console.log(
      `  ${name}: ${done}/${target} runs, ${Math.round(done / seconds)} runs/s, heap ${mib(process.memoryUsage().heapUsed)}`,
    );
  }
  total += target;
}

const seconds = (performance.now() - started) / 1000;
console.log(
  `PASS: ${total} runs in ${seconds.toFixed(1)} s (${Math.round(total / seconds)} runs/s), no exception escaped, rss ${mib(process.memoryUsage().rss)}`,
);
