import { readEngineConfig } from "@/lib/engine/config";
import { startEngine } from "@/lib/engine/engine";

// Process entry: `npm run engine`, or a child of the console. SIGTERM/SIGINT stop it cleanly;
// when the supervising console goes away (IPC disconnect, even after its SIGKILL) it stops too.

const engine = await startEngine(readEngineConfig()).catch((error: unknown) => {
  console.error(`engine: failed to start: ${(error as Error).message}`);
  process.exit(1);
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`engine: ${signal}, stopping`);
  await engine.stop();
  process.exit(0);
}

process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
process.on("disconnect", () => void stop("console gone"));
// A bug in one request must not take every call down with it; it is logged and counted instead.
process.on("uncaughtException", (error) => console.error("engine: uncaught exception", error));
