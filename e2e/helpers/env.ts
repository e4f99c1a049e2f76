import { readFileSync } from "node:fs";
import path from "node:path";
import { lastSetupCode } from "./console-server";

export const ADMIN = { username: "admin", password: "e2e-admin-password-1" };
export const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;
export const adminStatePath = path.join(process.env.E2E_DIR!, "admin-state.json");

export function consoleLog(): string {
  return readFileSync(path.join(process.env.E2E_DIR!, "console.log"), "utf8");
}

/** The last setup code the shared console printed in its start log. */
export function setupCodeFromLog(): string {
  return lastSetupCode(consoleLog());
}
