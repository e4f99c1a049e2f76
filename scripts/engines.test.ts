import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";

// package.json states the Node versions the project runs on; every installed package must accept
// each of them, or npm warns on install (EBADENGINE) and the package may fail at run time.

const root = path.resolve(import.meta.dirname, "..");
const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8"));
const projectRange: string = readJson(path.join(root, "package.json")).engines.node;

/** Every installed package (nested ones included) that states a Node range. */
function installedEngines(dir: string, found: { name: string; range: string }[] = []) {
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith(".")) continue;
    const folder = path.join(dir, entry);
    if (entry.startsWith("@")) {
      installedEngines(folder, found);
      continue;
    }
    const manifest = path.join(folder, "package.json");
    if (existsSync(manifest)) {
      const { name, version, engines } = readJson(manifest);
      if (typeof engines?.node === "string") found.push({ name: `${name}@${version}`, range: engines.node });
    }
    if (existsSync(path.join(folder, "node_modules"))) installedEngines(path.join(folder, "node_modules"), found);
  }
  return found;
}

describe("the Node versions package.json states", () => {
  it("include the Node running the tests", () => {
    expect(semver.satisfies(process.versions.node, projectRange), `${process.versions.node} vs ${projectRange}`).toBe(
      true,
    );
  });

  it("are accepted by every installed package, at the lowest version of each major", () => {
    // The lowest version of each major the range allows: e.g. 20.19.0, 22.13.0, 24.0.0.
    const lowest = semver
      .validRange(projectRange)!
      .split("||")
      .map((part) => semver.minVersion(part.trim())!.version);
    const refusing = installedEngines(path.join(root, "node_modules"))
      .filter(({ range }) => lowest.some((v) => !semver.satisfies(v, range)))
      .map(({ name, range }) => `${name} wants ${range}`);
    expect(refusing).toEqual([]);
  });
});
