import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { freeSipPort } from "./sipp";

// baresip (Debian's, headless) as a real softphone: audio from a WAV file, none played, driven
// over its ctrl_tcp module (netstring JSON commands: dial, hold, resume, hangup). What it did is
// judged from the engine and the far end, not from its output (block-buffered through a pipe).

export type Baresip = {
  sipPort: number;
  log(): string;
  /** Runs a menu command (e.g. "dial", "hangup") and returns baresip's reply text. */
  command(name: string, params?: string): Promise<string>;
  stop(): Promise<void>;
};

/** True when nothing listens on TCP 127.0.0.1:`port`. */
function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/** A free SIP port whose next one is free too: baresip also listens for SIP over TLS on port + 1. */
async function freeSipPortPair(): Promise<number> {
  for (;;) {
    const port = await freeSipPort();
    if (port < 65535 && (await tcpFree(port + 1))) return port;
  }
}

/** `seconds` of a 440 Hz tone as 8 kHz 16-bit mono PCM WAV: what the phone "says". */
function toneWav(seconds: number): Buffer {
  const samples = 8000 * seconds;
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write("RIFF", 0);
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write("WAVEfmt ", 8);
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(8000, 24);
  wav.writeUInt32LE(16000, 28); // bytes per second
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write("data", 36);
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++)
    wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)), 44 + i * 2);
  return wav;
}

/** A softphone with account `aor` whose every request goes to the engine at 127.0.0.1:`proxy`. */
export async function startBaresip(account: { aor: string; proxy: number; password: string }): Promise<Baresip> {
  const dir = mkdtempSync(path.join(tmpdir(), "ssc-baresip-"));
  const [sipPort, controlPort] = [await freeSipPortPair(), await freeSipPort()];
  writeFileSync(
    path.join(dir, "config"),
    [
      "poll_method epoll",
      `sip_listen 127.0.0.1:${sipPort}`,
      "module_path /usr/lib/baresip/modules",
      "module g711.so",
      "module aufile.so",
      "module aubridge.so",
      "module ctrl_tcp.so",
      "module_app account.so",
      "module_app menu.so",
      `ctrl_tcp_listen 127.0.0.1:${controlPort}`,
      `audio_source aufile,${path.join(dir, "tone.wav")}`,
      "audio_player aubridge,none",
      "audio_alert aubridge,none",
      "",
    ].join("\n"),
  );
  writeFileSync(path.join(dir, "tone.wav"), toneWav(3));
  const outbound = `sip:127.0.0.1:${account.proxy};transport=udp`;
  writeFileSync(
    path.join(dir, "accounts"),
    `<${account.aor}>;auth_pass=${account.password};outbound="${outbound}";regint=600\n`,
  );
  let output = "";
  const child = spawn("baresip", ["-f", dir], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  // Ready when its control port answers (its log is block-buffered through a pipe: not a signal)
  const listening = () =>
    new Promise<boolean>((resolve) => {
      const probe = net.connect(controlPort, "127.0.0.1", () => probe.end(() => resolve(true)));
      probe.on("error", () => resolve(false));
    });
  for (let i = 0; i < 100 && !(await listening()); i++) {
    if (child.exitCode !== null) throw new Error(`baresip exited:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!(await listening())) {
    await stop();
    throw new Error(`baresip did not open its control port:\n${output}`);
  }

  const command = (name: string, params = "") =>
    new Promise<string>((resolve, reject) => {
      const json = JSON.stringify({ command: name, params, token: name });
      const socket = net.connect(controlPort, "127.0.0.1", () => socket.write(`${Buffer.byteLength(json)}:${json},`));
      let reply = "";
      socket.on("data", (d) => {
        reply += d;
        // one netstring: "<length>:<json>,"
        const match = /^(\d+):/.exec(reply);
        if (match && reply.length >= match[0].length + Number(match[1]) + 1) {
          socket.end();
          const body = JSON.parse(reply.slice(match[0].length, match[0].length + Number(match[1])));
          resolve(String(body.data ?? ""));
        }
      });
      socket.on("error", reject);
      socket.setTimeout(5000, () => {
        socket.destroy();
        reject(new Error(`baresip: no reply to ${name}`));
      });
    });
  return { sipPort, log: () => output, command, stop };
}
