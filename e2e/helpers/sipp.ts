import { spawn } from "node:child_process";
import dgram from "node:dgram";
import net from "node:net";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// sipp (Debian sip-tester 3.6.1, MD5 digest only) as the real SIP client, always against 127.0.0.1,
// bounded by a call count and a global timeout, run from a temporary folder (it writes logs there).

export const SCENARIOS = path.resolve(import.meta.dirname, "../sip/scenarios");

export type SippRun = {
  /** 0: every call succeeded; 1: at least one failed; other values: sipp could not run. */
  exitCode: number | null;
  /** The tail of sipp's error log and stderr, for the failure message; empty on success. */
  errors: string;
  /** The port sipp sent from and put in its Contact ([local_port]). */
  localPort: number;
};

export type SippOptions = {
  /** A file name under e2e/sip/scenarios. */
  scenario: string;
  serverPort: number;
  transport?: "u1" | "t1";
  /** [username, password] per call, read in order (field0 = user, field1 = the auth keyword). */
  users: Array<[string, string]>;
  count?: number;
  timeoutSeconds?: number;
  /** Calls started per second (sipp's -r); sipp's default is 10. */
  rate?: number;
};

/** A port free for both UDP and TCP on 127.0.0.1: left to itself sipp takes 5060, which may be in use. */
async function freeSipPort(): Promise<number> {
  for (;;) {
    const udp = dgram.createSocket("udp4");
    const port = await new Promise<number>((resolve) => udp.bind(0, "127.0.0.1", () => resolve(udp.address().port)));
    const tcp = net.createServer();
    const free = await new Promise<boolean>((resolve) => tcp.once("error", () => resolve(false)).listen(port, "127.0.0.1", () => resolve(true)));
    udp.close();
    if (free) await new Promise((resolve) => tcp.close(resolve));
    if (free) return port;
  }
}

export async function runSipp(options: SippOptions): Promise<SippRun> {
  const dir = mkdtempSync(path.join(tmpdir(), "ssc-sipp-"));
  const users = path.join(dir, "users.csv");
  const errorLog = path.join(dir, "errors.log");
  const localPort = await freeSipPort();
  writeFileSync(users, ["SEQUENTIAL", ...options.users.map(([u, p]) => `${u};[authentication username=${u} password=${p}]`), ""].join("\n"));
  const args = [
    `127.0.0.1:${options.serverPort}`,
    "-sf", path.join(SCENARIOS, options.scenario),
    "-inf", users,
    "-t", options.transport ?? "u1",
    "-i", "127.0.0.1",
    "-m", String(options.count ?? 1),
    "-timeout", `${options.timeoutSeconds ?? 15}s`,
    "-timeout_error",
    "-nostdin",
    "-trace_err", "-error_file", errorLog,
    "-p", String(localPort),
    ...(options.rate === undefined ? [] : ["-r", String(options.rate)]),
  ];
  const child = spawn("/usr/bin/sipp", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exitCode = await new Promise<number | null>((resolve) => {
    child.on("error", (error) => {
      stderr += String(error);
      resolve(null);
    });
    child.on("exit", (code) => resolve(code));
  });
  const errors = exitCode === 0 ? "" : `${existsSync(errorLog) ? readFileSync(errorLog, "utf8") : ""}\n${stderr}`.slice(-3000);
  rmSync(dir, { recursive: true, force: true });
  return { exitCode, errors, localPort };
}
