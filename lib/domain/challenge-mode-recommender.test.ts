import { describe, expect, it } from "vitest";
import {
  endpointTypes,
  recommendChallengeMode,
  type ChallengeMode,
  type EndpointTypeId,
} from "@/lib/domain/challenge-mode-recommender";

function typeOf(id: EndpointTypeId) {
  const t = endpointTypes.find((e) => e.id === id);
  if (!t) throw new Error(`unknown endpoint type ${id}`);
  return t;
}

describe("recommendChallengeMode", () => {
  it("recommends the default mode 2 with a prompt when nothing is ticked", () => {
    const rec = recommendChallengeMode([]);
    expect(rec.mode).toBe(2);
    expect(rec.rows).toEqual([]);
    expect(rec.warning).toMatch(/Tick the endpoint types/);
  });

  it.each(endpointTypes.map((t) => [t.id] as const))(
    "a network of only %s gets a mode that serves it, without warning",
    (id) => {
      const rec = recommendChallengeMode([id]);
      expect(typeOf(id).works as readonly ChallengeMode[]).toContain(rec.mode);
      expect(rec.mode).toBe(typeOf(id).prefers);
      expect(rec.warning).toBeUndefined();
      expect(rec.rows).toHaveLength(1);
      expect(rec.rows[0]).toMatchObject({ id, label: typeOf(id).label, served: true });
    },
  );

  it.each<[EndpointTypeId[], ChallengeMode]>([
    [["goip"], 3],
    [["ims-core"], 3],
    [["sip-carrier"], 2],
    [["legacy-ata"], 1],
    [["sip-carrier", "goip"], 3],
    [["goip", "sip-carrier"], 3],
    [["sip-carrier", "cisco", "yealink"], 3],
    [["sip-carrier", "softphone"], 2],
    [["goip", "legacy-ata"], 1],
    [["cisco", "yealink", "grandstream", "softphone"], 3],
  ])("%j → mode %i, serving every type", (ticked, mode) => {
    const rec = recommendChallengeMode(ticked);
    expect(rec.mode).toBe(mode);
    expect(rec.warning).toBeUndefined();
    expect(rec.rows.map((r) => r.id).sort()).toEqual([...ticked].sort());
    expect(rec.rows.every((r) => r.served)).toBe(true);
  });

  it("warns and names the unserved type when carriers and legacy ATAs share a network", () => {
    const rec = recommendChallengeMode(["sip-carrier", "legacy-ata"]);
    expect(rec.mode).toBe(2);
    expect(rec.warning).toBeDefined();
    expect(rec.warning).toContain(typeOf("legacy-ata").label);
    expect(rec.warning).not.toContain(typeOf("sip-carrier").label);
    expect(rec.rows.find((r) => r.id === "legacy-ata")?.served).toBe(false);
    expect(rec.rows.find((r) => r.id === "sip-carrier")?.served).toBe(true);
  });

  it("warns when an IMS core and a legacy ATA cannot both be served", () => {
    const rec = recommendChallengeMode(["ims-core", "legacy-ata"]);
    expect(rec.warning).toMatch(/No single mode serves every type/);
    const unserved = rec.rows.filter((r) => !r.served);
    expect(unserved).toHaveLength(1);
    for (const row of unserved) expect(rec.warning).toContain(row.label);
  });

  it("gives a non-empty reason for every ticked type, matching the table", () => {
    const all = endpointTypes.map((t) => t.id);
    const rec = recommendChallengeMode(all);
    expect(rec.rows).toHaveLength(all.length);
    for (const row of rec.rows) {
      expect(row.reason.trim()).not.toBe("");
      expect(row.reason).toBe(typeOf(row.id).reason);
      expect(row.served).toBe((typeOf(row.id).works as readonly ChallengeMode[]).includes(rec.mode));
    }
  });

  it("marks served exactly as the recommended mode's support says", () => {
    const rec = recommendChallengeMode(["sip-carrier", "goip", "legacy-ata"]);
    for (const row of rec.rows) {
      expect(row.served).toBe((typeOf(row.id).works as readonly ChallengeMode[]).includes(rec.mode));
    }
    expect(rec.warning).toBeDefined();
  });
});
