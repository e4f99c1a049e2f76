// Runs once when the console server starts (Next.js instrumentation hook).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { prepareOnStart } = await import("@/lib/server/startup");
  await prepareOnStart();
}
