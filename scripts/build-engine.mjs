// Bundles the SIP engine (lib/engine/main.ts) into one file that plain Node runs: dist/engine.mjs.
import { build } from "esbuild";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const started = Date.now();
await build({
  absWorkingDir: root,
  entryPoints: ["lib/engine/main.ts"],
  outfile: "dist/engine.mjs",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  logLevel: "warning",
  tsconfig: "tsconfig.json",
});
console.log(`engine bundled into dist/engine.mjs in ${Date.now() - started} ms`);
