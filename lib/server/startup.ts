import { ensureVersionZero } from "@/lib/server/config-snapshots";
import { issueSetupCode } from "@/lib/server/setup";
import { env } from "@/lib/server/env";
import { engineTargets } from "@/lib/server/engine-client";
import { startEngineSupervisor, syncEngine } from "@/lib/server/engine-supervisor";
import { startCdrImporter } from "@/lib/server/cdr-import";
import { ensureTraceCollector } from "@/lib/server/traces";

/** Start-up: version 0 of the configuration, the engine (supervised or ENGINE_URL), the setup code. */
export async function prepareOnStart(): Promise<void> {
  await ensureVersionZero();
  if (env.engineUrls.length === 0) startEngineSupervisor();
  else for (const target of engineTargets()) void syncEngine(target);
  startCdrImporter();
  ensureTraceCollector();
  const code = await issueSetupCode();
  if (code) {
    console.log(
      [
        "",
        "==================================================================",
        " Softswitch Console: no operator exists yet.",
        " Open /setup in the console and enter this one-time setup code:",
        "",
        `     SETUP CODE: ${code}`,
        "",
        " The code changes at every start until the first administrator exists.",
        "==================================================================",
        "",
      ].join("\n"),
    );
  }
}
