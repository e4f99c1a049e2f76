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
  /** sipp's message trace (-trace_msg) when `traceMessages` was asked for, else "". */
  messages: string;
};

export type SippOptions = {
  /** A file name under e2e/sip/scenarios. */
  scenario: string;
  /** The engine's port, for a UAC; absent for a UAS (it listens on `localPort`). */
  serverPort?: number;
  transport?: "u1" | "t1";
  /** [username, password, other password?] per call, read in order (field0 = user, field1 = the auth keyword, field2 = the one with the other password). */
  users?: Array<[string, string] | [string, string, string]>;
  count?: number;
  timeoutSeconds?: number;
  /** Calls started per second (sipp's -r); sipp's default is 10. */
  rate?: number;
  /** The port sipp listens and sends on (-p); a free one when absent. */
  localPort?: number;
  /** The Request-URI user of a UAC ([service], -s). */
  service?: string;
  /** How long a scenario's bare <pause/> lasts (sipp's -d), in milliseconds. */
  pauseMs?: number;
  /** Keywords for the scenario (-key name value). */
  keys?: Record<string, string>;
  traceMessages?: boolean;
};

export type SippHandle = {
  localPort: number;
  /** Resolves when sipp exits. */
  done: Promise<SippRun>;
  /** Ends sipp (SIGTERM) if it still runs, and waits for it. */
  stop(): Promise<SippRun>;
};

/** A port free for both UDP and TCP on 127.0.0.1: left to itself sipp takes 5060, which may be in use. */
export async function freeSipPort(): Promise<number> {
  for (;;) {
    const udp = dgram.createSocket("udp4");
    const port = await new Promise<number>((resolve) => udp.bind(0, "127.0.0.1", () => resolve(udp.address().port)));
    const tcp = net.createServer();
    const free = await new Promise<boolean>((resolve) =>
      tcp.once("error", () => resolve(false)).listen(port, "127.0.0.1", () => resolve(true)),
    );
    udp.close();
    if (free) await new Promise((resolve) => tcp.close(resolve));
    if (free) return port;
  }
}

/** True once something listens on `port` (sipp as a UAS is ready). */
async function isBound(port: number, transport: "u1" | "t1"): Promise<boolean> {
  if (transport === "t1") {
    return new Promise((resolve) => {
      const socket = net.connect({ port, host: "127.0.0.1" }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
  }
  const probe = dgram.createSocket("udp4");
  return new Promise((resolve) => {
    probe.once("error", () => resolve(true));
    probe.bind(port, "127.0.0.1", () => probe.close(() => resolve(false)));
  });
}

/** Starts sipp in the background; a UAS is listening when this resolves. */
export async function startSipp(options: SippOptions): Promise<SippHandle> {
  const dir = mkdtempSync(path.join(tmpdir(), "ssc-sipp-"));
  const errorLog = path.join(dir, "errors.log");
  const messageLog = path.join(dir, "messages.log");
  const localPort = options.localPort ?? (await freeSipPort());
  const transport = options.transport ?? "u1";
  const args: string[] = [];
  if (options.serverPort !== undefined) args.push(`127.0.0.1:${options.serverPort}`);
  args.push("-sf", path.join(SCENARIOS, options.scenario));
  if (options.users) {
    const users = path.join(dir, "users.csv");
    writeFileSync(
      users,
      [
        "SEQUENTIAL",
        ...options.users.map(([u, p, other]) =>
          [
            u,
            ...[p, other].filter((x) => x !== undefined).map((x) => `[authentication username=${u} password=${x}]`),
          ].join(";"),
        ),
        "",
      ].join("\n"),
    );
    args.push("-inf", users);
  }
  args.push(
    "-t",
    transport,
    "-i",
    "127.0.0.1",
    "-m",
    String(options.count ?? 1),
    "-timeout",
    `${options.timeoutSeconds ?? 15}s`,
    "-timeout_error",
    "-nostdin",
    "-trace_err",
    "-error_file",
    errorLog,
    "-p",
    String(localPort),
  );
  if (options.rate !== undefined) args.push("-r", String(options.rate));
  if (options.pauseMs !== undefined) args.push("-d", String(options.pauseMs));
  if (options.service !== undefined) args.push("-s", options.service);
  for (const [name, value] of Object.entries(options.keys ?? {})) args.push("-key", name, value);
  if (options.traceMessages) args.push("-trace_msg", "-message_file", messageLog);
  const child = spawn("/usr/bin/sipp", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise<SippRun>((resolve) => {
    const finish = (exitCode: number | null) => {
      const errors =
        exitCode === 0 ? "" : `${existsSync(errorLog) ? readFileSync(errorLog, "utf8") : ""}\n${stderr}`.slice(-3000);
      const messages = existsSync(messageLog) ? readFileSync(messageLog, "utf8") : "";
      rmSync(dir, { recursive: true, force: true });
      resolve({ exitCode, errors, localPort, messages });
    };
    child.on("error", (error) => {
      stderr += String(error);
      finish(null);
    });
    child.on("exit", (code) => finish(code));
  });
  if (options.serverPort === undefined) {
    for (let i = 0; i < 100 && child.exitCode === null && !(await isBound(localPort, transport)); i++)
      await new Promise((r) => setTimeout(r, 30));
  }
  return {
    localPort,
    done,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return done;
    },
  };
}

export async function runSipp(options: SippOptions): Promise<SippRun> {
  return (await startSipp(options)).done;
}
