import { spawn } from "node:child_process";
import dgram from "node:dgram";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freeSipPort } from "./sipp";

// Kamailio (Debian's) as a real SIP proxy in front of or beside the engine, from a config in
// e2e/sip/ whose __NAME__ placeholders are filled in (__LISTEN__ here). Its log (stderr) is kept.

const root = path.resolve(import.meta.dirname, "../..");

export type KamailioProcess = { port: number; log(): string; stop(): Promise<void> };

/** True while something holds 127.0.0.1:`port` for UDP. */
function udpTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = dgram.createSocket("udp4");
    probe.once("error", () => resolve(true));
    probe.bind(port, "127.0.0.1", () => probe.close(() => resolve(false)));
  });
}

export async function startKamailio(config: string, values: Record<string, string> = {}): Promise<KamailioProcess> {
  const port = await freeSipPort();
  const dir = mkdtempSync(path.join(tmpdir(), "ssc-kamailio-"));
  let text = readFileSync(path.join(root, "e2e/sip", config), "utf8").replace("__LISTEN__", `udp:127.0.0.1:${port}`);
  for (const [name, value] of Object.entries(values)) text = text.replaceAll(`__${name}__`, value);
  writeFileSync(path.join(dir, "kamailio.cfg"), text);
  let output = "";
  const child = spawn("kamailio", ["-f", path.join(dir, "kamailio.cfg"), "-DD", "-E", "-m", "64", "-M", "8"], {
    cwd: dir,
    detached: true, // its own process group: stopping it stops the workers it forks
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    process.kill(-child.pid, "SIGTERM");
    await exited;
  };
  for (let i = 0; i < 100 && !(await udpTaken(port)); i++) {
    if (child.exitCode !== null) throw new Error(`kamailio exited: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!(await udpTaken(port))) {
    await stop();
    throw new Error(`kamailio did not listen on ${port}: ${output}`);
  }
  return { port, log: () => output, stop };
}
