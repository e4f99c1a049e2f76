// Processes a test run left behind. `npm test` gives every step an environment variable with a
// value of its own (TEST_RUN_MARKER); every process the tests start inherits it (engines, consoles,
// sipp, Kamailio, Chromium), so whatever still carries it after a step was left running.
import { readdirSync, readFileSync } from "node:fs";

export const TEST_RUN_MARKER = "SSC_TEST_RUN";

/** Processes whose environment holds TEST_RUN_MARKER=runId, this one excepted. */
export function findMarkedProcesses(runId) {
  const needle = `\0${TEST_RUN_MARKER}=${runId}\0`;
  const found = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const environ = readProcFile(pid, "environ");
    if (environ === null || !`\0${environ}`.includes(needle)) continue;
    const command = (readProcFile(pid, "cmdline") ?? "").split("\0").join(" ").trim();
    found.push({ pid, command });
  }
  return found;
}

/** A /proc file's text, or null when the process is gone or not ours to read. */
function readProcFile(pid, name) {
  try {
    return readFileSync(`/proc/${pid}/${name}`, "latin1");
  } catch (error) {
    if (["ENOENT", "ESRCH", "EACCES", "EPERM"].includes(error.code)) return null;
    throw error;
  }
}

/**
 * Waits up to `graceMs` for marked processes to end (a console stopping takes a moment), then kills
 * what is left with SIGKILL and returns it: an empty list means nothing was left behind.
 */
export async function reapLeftovers(runId, graceMs = 15_000) {
  const deadline = Date.now() + graceMs;
  let left = findMarkedProcesses(runId);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    left = findMarkedProcesses(runId);
  }
  for (const { pid } of left) {
    try {
      process.kill(pid, "SIGKILL");
    } catch (error) {
      if (error.code !== "ESRCH") throw error; // ended on its own meanwhile
    }
  }
  return left;
}
