import { createServer } from "node:net";
import { freePort } from "../scripts/bench/console-server";
import { startConsoleServer } from "./helpers/console-server";

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", () => reject(new Error(`e2e: port ${port} is taken; set E2E_PORT to a free port`)));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

/**
 * Starts the built console (which supervises the bundled engine) against a fresh database in a
 * temporary folder, the engine's SIP and control ports free ones; returns the teardown.
 */
export default async function globalSetup() {
  const dir = process.env.E2E_DIR!;
  const port = Number(process.env.E2E_PORT);
  await assertPortFree(port);
  // Workers start after this function, so they inherit these.
  process.env.E2E_SIP_PORT = String(await freePort());
  process.env.E2E_CONTROL_PORT = String(await freePort());
  const server = await startConsoleServer({
    dir,
    port,
    sipPort: Number(process.env.E2E_SIP_PORT),
    controlPort: Number(process.env.E2E_CONTROL_PORT),
  });
  process.env.E2E_LOG = server.logPath;
  return async () => server.stop();
}
