import { ensureVersionZero } from "@/lib/server/config-snapshots";
import { issueSetupCode } from "@/lib/server/setup";

/** First-start work: version 0 of the configuration, and the one-time setup code in the log. */
export async function prepareOnStart(): Promise<void> {
  await ensureVersionZero();
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
