import { describe, expect, it, vi } from "vitest";

// snapshot-history.ts imports the Prisma client; keep the test from opening the console database.
vi.mock("@/lib/server/db", () => ({ db: {} }));

import { exportConfigFile, readConfigFile } from "@/lib/server/config-file";
import { parseSnapshotVersion } from "@/lib/server/snapshot-history";
import { createMappingGatewaySchema } from "@/lib/domain/mapping-gateway";
import { createRoutingGatewaySchema } from "@/lib/domain/routing-gateway";
import { defaultParameterValues } from "@/lib/domain/parameter-catalog";
import type { ConfigSource } from "@/lib/domain/config-source";

// Issue 19, finding 11: bad input gave 500s (a duplicate gateway id in an import file) or was
// saved where nothing shows it (an unknown parameter). Both are now a 400 that names the problem.

const { password: _p, ...mapping } = createMappingGatewaySchema.parse({
  name: "pbx",
  authMode: "ip",
  ipAddresses: ["192.0.2.1"],
});
const { password: _q, ...routing } = createRoutingGatewaySchema.parse({ name: "carrier", address: "198.51.100.1" });
const source: ConfigSource = {
  parameters: defaultParameterValues(),
  mappingGateways: [{ ...mapping, id: "m1", version: 1, passwordCipher: null }],
  routingGateways: [{ ...routing, id: "r1", version: 1, passwordCipher: null }],
};
const exported = () => JSON.parse(JSON.stringify(exportConfigFile(source, 3, "omit")));

describe("readConfigFile", () => {
  it("reads back an exported file", () => {
    const read = readConfigFile(exported(), undefined);
    expect(read.ok).toBe(true);
  });

  it("refuses a parameter the catalog does not know, naming it", () => {
    const file = exported();
    file.parameters.SS_NO_SUCH_THING = 1;
    const read = readConfigFile(file, undefined);
    expect(read).toMatchObject({
      ok: false,
      code: "validation",
      issues: [{ path: "parameters.SS_NO_SUCH_THING", message: "unknown parameter SS_NO_SUCH_THING" }],
    });
    expect(!read.ok && read.message).toContain("SS_NO_SUCH_THING");
  });

  it("refuses two mapping gateways with the same id", () => {
    const file = exported();
    file.mappingGateways.push({ ...file.mappingGateways[0], name: "pbx-2" });
    expect(readConfigFile(file, undefined)).toMatchObject({
      ok: false,
      code: "validation",
      issues: [{ path: "mapping gateway pbx-2", message: 'two mapping gateways have the id "m1"' }],
    });
  });

  it("refuses two routing gateways with the same name", () => {
    const file = exported();
    file.routingGateways.push({ ...file.routingGateways[0], id: "r2" });
    expect(readConfigFile(file, undefined)).toMatchObject({
      ok: false,
      code: "validation",
      issues: [{ path: "routing gateway carrier", message: 'two routing gateways have the name "carrier"' }],
    });
  });

  it("lets a mapping and a routing gateway share an id (they are different tables)", () => {
    const file = exported();
    file.routingGateways[0].id = "m1";
    expect(readConfigFile(file, undefined).ok).toBe(true);
  });
});

describe("readConfigFile: an encrypted file's key derivation (finding 5)", () => {
  const encrypted = () => JSON.parse(JSON.stringify(exportConfigFile(source, 3, "encrypted", "a long passphrase")));

  it("reads back a file this console encrypted", () => {
    expect(readConfigFile(encrypted(), "a long passphrase").ok).toBe(true);
  });

  it.each([
    ["N", 2 ** 30, "larger than this console writes (32768)"],
    ["N", 3000, "must be a power of two"],
    ["r", 64, "larger than this console writes (8)"],
    ["p", 300, "larger than this console writes (1)"],
  ])("refuses %s = %d before deriving any key", (field, value, message) => {
    const file = encrypted();
    file.kdf[field] = value;
    // Had scrypt run with these (2^30 alone needs 128 GiB), this would throw, not answer
    const read = readConfigFile(file, "a long passphrase");
    expect(read).toMatchObject({ ok: false, code: "validation" });
    expect(!read.ok && read.message).toContain(message);
  });
});

describe("parseSnapshotVersion", () => {
  it.each([
    ["0", 0],
    ["7", 7],
    ["2147483647", 2147483647],
  ])("reads %s", (text, version) => {
    expect(parseSnapshotVersion(text)).toEqual({ ok: true, value: version });
  });

  it.each(["99999999999999999999", "2147483648", "-1", "1.5", "1e3", "abc", "", " 1", "0x10"])(
    "refuses %j with a 400 and a message",
    (text) => {
      const parsed = parseSnapshotVersion(text);
      expect(parsed).toMatchObject({ ok: false, code: "validation" });
      expect(!parsed.ok && parsed.message).toMatch(/^version must be a whole number from 0 to 2147483647/);
    },
  );
});
