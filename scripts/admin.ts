// Command-line recovery for a locked-out administrator: `npm run admin -- reset-password NAME`.
// Sets a new random password, enables the account, lifts a sign-in lockout, ends its sessions.
import { randomSecret } from "@/lib/server/crypto";
import { db } from "@/lib/server/db";
import { updateOperator } from "@/lib/server/operators";
import { clearSignInFailures } from "@/lib/server/sign-in";

const usage = "Usage: npm run admin -- reset-password <username>";

async function resetPassword(username: string): Promise<number> {
  const operator = await db.operator.findUnique({ where: { username } });
  if (!operator) {
    console.error(
      `No operator named "${username}". Operators: ${(await db.operator.findMany()).map((o) => o.username).join(", ") || "(none yet: open /setup)"}`,
    );
    return 1;
  }
  const password = randomSecret(15);
  const result = await updateOperator(
    operator.id,
    { version: operator.version, password, disabled: false },
    { actor: "cli", via: "cli" },
  );
  if (!result.ok) {
    console.error(result.message);
    return 1;
  }
  await clearSignInFailures(username);
  console.log(
    `New password for ${username}: ${password}\nSign in and change it; the account is enabled and its lockout lifted.`,
  );
  return 0;
}

const [command, username] = process.argv.slice(2);
const exitCode = command === "reset-password" && username ? await resetPassword(username) : (console.error(usage), 2);
await db.$disconnect();
process.exit(exitCode);
