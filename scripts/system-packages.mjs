// Installs the Debian packages the tests need when they are missing (as root), or says in one
// line what to install.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export function ensureSystemPackages(needs) {
  const missing = needs.filter((n) => !existsSync(n.command));
  if (missing.length === 0) return;
  const packages = missing.map((n) => n.aptPackage);
  if (process.getuid?.() !== 0) {
    console.error(
      `Missing system packages for ${missing.map((n) => n.why).join(", ")}: run "sudo apt-get install -y ${packages.join(" ")}"`,
    );
    process.exit(1);
  }
  console.log(`Installing ${packages.join(", ")} with apt-get…`);
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", ...packages]]) {
    const result = spawnSync("apt-get", args, {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (result.status !== 0) {
      console.error(`apt-get ${args[0]} failed (exit ${result.status}); install ${packages.join(" ")} by hand`);
      process.exit(1);
    }
  }
}
