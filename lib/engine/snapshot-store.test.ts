import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalContentChunks } from "@/lib/domain/config-snapshot";
import { defaultParameterValues } from "@/lib/domain/parameter-catalog";
import { hashSnapshotContent } from "@/lib/engine/snapshot-check";
import { loadActiveSnapshot, saveActiveSnapshot } from "@/lib/engine/snapshot-store";

// The engine's last applied snapshot on disk: what it comes back with after a restart.

describe("saveActiveSnapshot", () => {
  it("writes what loadActiveSnapshot reads back, as JSON, readable by its owner only", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "snapshot-store-"));
    const content = {
      parameters: defaultParameterValues(),
      mappingGateways: Array.from({ length: 3000 }, (_, i) => ({
        id: `m${i}`,
        version: 1,
        name: `pbx-${i}`,
        enabled: true,
        locked: false,
        authMode: "ip" as const,
        ipAddresses: [`10.1.${i >> 8}.${i & 255}`],
        port: null,
        digestUsername: `pbx-${i}`,
        ha1Md5: null,
        ha1Sha256: null,
        capacity: 0,
        priority: 0,
        calleeAllowPrefixes: [],
        calleeDenyPrefixes: [],
        callerRewrite: { strip: 0, prefix: "" },
        calleeRewrite: { strip: 0, prefix: "" },
        routingGroups: [],
        replyAddress: "source" as const,
      })),
      routingGateways: [],
    };
    const snapshot = {
      version: 4,
      hash: hashSnapshotContent(content),
      createdAt: "2026-01-01T00:00:00.000Z",
      ...content,
    };
    const chunks = canonicalContentChunks(content);
    expect(chunks.length).toBeGreaterThan(1);
    saveActiveSnapshot(dataDir, snapshot, chunks, "2026-01-02T00:00:00.000Z");
    expect(loadActiveSnapshot(dataDir)).toEqual({ ok: true, snapshot, appliedAt: "2026-01-02T00:00:00.000Z" });
    const file = path.join(dataDir, "active-snapshot.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(() => JSON.parse(readFileSync(file, "utf8"))).not.toThrow();
  });

  it("names a file it cannot run instead of running it", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "snapshot-store-"));
    const file = path.join(dataDir, "active-snapshot.json");
    writeFileSync(file, '{"appliedAt":"2026-01-02T00:00:00.000Z","snapshot":{"version":1');
    expect(loadActiveSnapshot(dataDir)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("is not valid JSON"),
    });
    writeFileSync(file, '{"appliedAt":"2026-01-02T00:00:00.000Z","snapshot":{"version":1}}');
    expect(loadActiveSnapshot(dataDir)).toEqual({ ok: false, reason: `${file} does not hold a valid snapshot` });
  });
});
