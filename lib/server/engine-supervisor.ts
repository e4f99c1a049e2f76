import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { getActiveEngineSnapshot, getActiveMeta } from "@/lib/server/config-snapshots";
import { engineTargets, fetchEngineStatus, pushSnapshot, type EngineTarget } from "@/lib/server/engine-client";

// The console starts the engine as its child and restarts it within about a second when it dies;
// the engine comes back with the snapshot it last applied (its own data folder). When the console
// itself dies, the engine sees the IPC channel close and stops too.

const RESTART_DELAY_MS = 500;
type SupervisorState = { child?: ChildProcess; restarts: number; lastExit: string | null; stopping: boolean };
const holder = globalThis as unknown as { engineSupervisor?: SupervisorState };

export function supervisorState(): Readonly<SupervisorState> | undefined {
  return holder.engineSupervisor;
}

export function startEngineSupervisor(): void {
  if (holder.engineSupervisor) return;
  const state: SupervisorState = (holder.engineSupervisor = { restarts: 0, lastExit: null, stopping: false });
  const entry = path.join(process.cwd(), "dist", "engine.mjs");
  if (!existsSync(entry)) {
    console.error(
      `console: ${entry} is missing; run "npm run build" (the engine is bundled there). The console runs without an engine.`,
    );
    return;
  }
  let quickFailures = 0;
  const launch = () => {
    const startedAt = Date.now();
    const child = spawn(process.execPath, ["--enable-source-maps", entry], {
      env: process.env,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    state.child = child;
    child.on("exit", (code, signal) => {
      state.lastExit = `${new Date().toISOString()} ${signal ?? `exit ${code}`}`;
      if (state.stopping) return;
      state.restarts++;
      // An engine that dies at once (its port taken, say) is retried ever more slowly, up to 30 s.
      quickFailures = Date.now() - startedAt < 5000 ? quickFailures + 1 : 0;
      const delay = Math.min(30_000, RESTART_DELAY_MS * 2 ** Math.max(0, quickFailures - 1));
      console.error(`console: the engine stopped (${signal ?? `exit ${code}`}); restarting it in ${delay} ms`);
      setTimeout(launch, delay);
    });
    void syncEngine(engineTargets()[0]);
  };
  // No signal handlers here (they would replace Next's own): when this process ends, the engine
  // sees its IPC channel close and stops cleanly by itself.
  process.once("exit", () => {
    state.stopping = true;
  });
  launch();
}

/** Once the engine answers: if it runs an older configuration than the last applied one, push it. */
export async function syncEngine(target: EngineTarget): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const status = await fetchEngineStatus(target);
    if (status.ok) {
      const active = await getActiveMeta();
      if (status.value.version === active.version && status.value.hash === active.hash) return;
      if (status.value.version > active.version) {
        console.error(
          `console: the engine runs version ${status.value.version}, newer than the console's ${active.version}; not pushing`,
        );
        return;
      }
      const snapshot = await getActiveEngineSnapshot();
      if (!snapshot || snapshot.version === 0) return;
      const result = await pushSnapshot(target, JSON.stringify(snapshot));
      console.log(
        result.ok
          ? `console: pushed configuration version ${snapshot.version} to the engine`
          : `console: the engine refused version ${snapshot.version}: ${result.reasons.join("; ")}`,
      );
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  console.error(`console: the engine at ${target.url} did not answer within 10 s`);
}
