import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { findMarkedProcesses, reapLeftovers, TEST_RUN_MARKER } from "./leftover-processes.mjs";

describe("leftover test processes", () => {
  it("finds a process carrying the run's marker, kills it after the grace time, and then finds none", async () => {
    const runId = randomUUID();
    const child = spawn("sleep", ["60"], { env: { ...process.env, [TEST_RUN_MARKER]: runId }, stdio: "ignore" });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once("exit", (_code, signal) => resolve(signal)),
    );
    try {
      expect(findMarkedProcesses(runId)).toEqual([{ pid: child.pid, command: "sleep 60" }]);
      expect(findMarkedProcesses(randomUUID())).toEqual([]);
      const left = await reapLeftovers(runId, 300);
      expect(left.map((p) => p.pid)).toEqual([child.pid]);
      expect(await exited).toBe("SIGKILL");
      expect(findMarkedProcesses(runId)).toEqual([]);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("waits for a process that ends within the grace time and reports nothing", async () => {
    const runId = randomUUID();
    const child = spawn("sleep", ["0.3"], { env: { ...process.env, [TEST_RUN_MARKER]: runId }, stdio: "ignore" });
    try {
      expect(await reapLeftovers(runId, 10_000)).toEqual([]);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
