import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// Runs sipp against 127.0.0.1 and reads its final statistics screen. Bounded: a call count (-m)
// and a global timeout; sipp writes its logs into a temporary folder.

export type SippResult = {
  exitCode: number | null;
  successful: number;
  failed: number;
  retransmissions: number;
  seconds: number;
};

export function writeInjection(users: Array<[string, string]>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "ssc-sipp-"));
  const file = path.join(dir, "users.csv");
  writeFileSync(
    file,
    ["SEQUENTIAL", ...users.map(([u, p]) => `${u};[authentication username=${u} password=${p}]`)].join("\n") + "\n",
  );
  return file;
}

type RunOptions = {
  port: number;
  scenario: string;
  injection: string;
  calls: number;
  rate: number;
  timeoutSeconds: number;
  transport?: "u1" | "t1";
  /** The Request-URI user ([service], -s). */
  service?: string;
  /** The digest uri without "sip:" (-auth_uri); sipp's default is remote_ip:remote_port. */
  authUri?: string;
};

const common = (calls: number, timeoutSeconds: number, transport: string) => [
  "-m",
  String(calls),
  "-l",
  "20000",
  "-t",
  transport,
  "-nostdin",
  "-timeout",
  `${timeoutSeconds}s`,
  "-timeout_error",
  "-max_recv_loops",
  "10000",
  "-max_sched_loops",
  "10000",
];

export function runSipp(options: RunOptions): Promise<SippResult> {
  const args = [
    `127.0.0.1:${options.port}`,
    "-sf",
    options.scenario,
    "-inf",
    options.injection,
    "-r",
    String(options.rate),
    "-rp",
    "1000",
    ...common(options.calls, options.timeoutSeconds, options.transport ?? "u1"),
    ...(options.service ? ["-s", options.service] : []),
    ...(options.authUri ? ["-auth_uri", options.authUri] : []),
  ];
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn("sipp", args, {
      cwd: mkdtempSync(path.join(tmpdir(), "ssc-sipp-run-")),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => {
      const last = out.slice(out.lastIndexOf("Statistics Screen"));
      const cumulative = (label: string) =>
        Number(new RegExp(`${label}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`).exec(last)?.[1] ?? 0);
      const scenario = out.slice(out.lastIndexOf("Scenario Screen"));
      // Scenario screen rows: "REGISTER ---------->   N   <retrans>   <timeout>"
      const retransmissions = [...scenario.matchAll(/(?:REGISTER|INVITE) -+>\s+\d+\s+(\d+)/g)].reduce(
        (sum, m) => sum + Number(m[1]),
        0,
      );
      resolve({
        exitCode: code,
        successful: cumulative("Successful call"),
        failed: cumulative("Failed call"),
        retransmissions,
        seconds: (performance.now() - started) / 1000,
      });
    });
  });
}

/** sipp as a UAS on 127.0.0.1:`port` (a carrier), bounded like runSipp; stop() ends it early. */
export function startSippServer(options: { port: number; scenario: string; calls: number; timeoutSeconds: number }): {
  stop(): Promise<void>;
} {
  const args = [
    "-sf",
    options.scenario,
    "-i",
    "127.0.0.1",
    "-p",
    String(options.port),
    ...common(options.calls, options.timeoutSeconds, "u1"),
  ];
  const child = spawn("sipp", args, { cwd: mkdtempSync(path.join(tmpdir(), "ssc-sipp-uas-")), stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return {
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
