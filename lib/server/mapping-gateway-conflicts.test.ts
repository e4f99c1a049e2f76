import { describe, expect, it } from "vitest";
import { MappingConflictIndex, type MappingIdentity } from "@/lib/server/mapping-gateway-conflicts";

function gw(id: string, overrides: Partial<MappingIdentity> = {}): MappingIdentity {
  return {
    id,
    name: `gw-${id}`,
    enabled: true,
    authMode: "ip",
    ipAddresses: ["192.0.2.1"],
    port: null,
    authUsername: null,
    ...overrides,
  };
}

const SOURCE_TAKEN = (where: string, owner: string) =>
  `Source ${where} already identifies mapping gateway "${owner}"; a source address must identify one gateway`;

describe("MappingConflictIndex: source addresses", () => {
  it("refuses a second enabled IP gateway on the same address", () => {
    const index = new MappingConflictIndex([gw("1", { name: "Acme London" })]);
    expect(index.conflictOf(gw("2", { name: "Acme Paris", ipAddresses: ["198.51.100.9", "192.0.2.1"] }))).toEqual({
      path: "ipAddresses",
      message: SOURCE_TAKEN("192.0.2.1", "Acme London"),
    });
  });

  it("allows IP gateways on different addresses", () => {
    const index = new MappingConflictIndex([gw("1")]);
    expect(index.conflictOf(gw("2", { ipAddresses: ["192.0.2.2"] }))).toBeNull();
  });

  it("lets a disabled gateway claim nothing", () => {
    const index = new MappingConflictIndex([gw("1", { enabled: false })]);
    expect(index.conflictOf(gw("2"))).toBeNull();
  });

  it("does not check a disabled gateway against enabled ones", () => {
    const index = new MappingConflictIndex([gw("1")]);
    expect(index.conflictOf(gw("2", { enabled: false }))).toBeNull();
  });

  it("allows IP+Port gateways on one address with different ports", () => {
    const index = new MappingConflictIndex([gw("1", { authMode: "ip-port", port: 5060 })]);
    expect(index.conflictOf(gw("2", { authMode: "ip-port", port: 5062 }))).toBeNull();
  });

  it("refuses IP+Port gateways on the same address and port, naming both", () => {
    const index = new MappingConflictIndex([gw("1", { name: "PBX A", authMode: "ip-port", port: 5060 })]);
    expect(index.conflictOf(gw("2", { authMode: "ip-port", port: 5060 }))).toEqual({
      path: "ipAddresses",
      message: SOURCE_TAKEN("192.0.2.1 port 5060", "PBX A"),
    });
  });

  it("does not let an IP gateway and an IP+Port gateway on the same address conflict", () => {
    const ipFirst = new MappingConflictIndex([gw("1")]);
    expect(ipFirst.conflictOf(gw("2", { authMode: "ip-port", port: 5060 }))).toBeNull();
    const portFirst = new MappingConflictIndex([gw("1", { authMode: "ip-port", port: 5060 })]);
    expect(portFirst.conflictOf(gw("2"))).toBeNull();
  });

  it("never reports a gateway as conflicting with itself", () => {
    const self = gw("1", { name: "Acme", authMode: "password", authUsername: "acme" });
    const index = new MappingConflictIndex([gw("1"), self]);
    expect(index.conflictOf(gw("1"))).toBeNull();
    expect(index.conflictOf({ ...self, name: "ACME" })).toBeNull();
  });

  it("sees gateways added after construction (earlier rows of an import)", () => {
    const index = new MappingConflictIndex([]);
    expect(index.conflictOf(gw("new-row-2"))).toBeNull();
    index.add(gw("new-row-2", { name: "row two" }));
    expect(index.conflictOf(gw("new-row-3"))?.message).toBe(SOURCE_TAKEN("192.0.2.1", "row two"));
  });
});

describe("MappingConflictIndex: names", () => {
  it("refuses a name already used, whatever its case", () => {
    const index = new MappingConflictIndex([gw("1", { name: "Acme PBX", ipAddresses: ["192.0.2.1"] })]);
    expect(index.conflictOf(gw("2", { name: "acme pbx", ipAddresses: ["192.0.2.2"] }))).toEqual({
      path: "name",
      message: 'A mapping gateway named "acme pbx" already exists',
    });
  });

  it("counts disabled gateways' names too", () => {
    const index = new MappingConflictIndex([gw("1", { name: "old", enabled: false })]);
    expect(index.conflictOf(gw("2", { name: "OLD", enabled: false }))?.path).toBe("name");
  });

  it("reports the name before any address conflict", () => {
    const index = new MappingConflictIndex([gw("1", { name: "dup" })]);
    expect(index.conflictOf(gw("2", { name: "dup" }))?.path).toBe("name");
  });
});

describe("MappingConflictIndex: digest usernames", () => {
  it("uses the gateway name as the username of a Password gateway without one", () => {
    const index = new MappingConflictIndex([gw("1", { name: "alice", authMode: "password", ipAddresses: [] })]);
    expect(index.ownerOfUsername("alice")).toEqual({ id: "1", label: 'mapping gateway "alice"' });
    expect(
      index.conflictOf(gw("2", { name: "bob", authMode: "password", authUsername: "alice", ipAddresses: [] })),
    ).toEqual({
      path: "authUsername",
      message: 'Digest username "alice" is already used by mapping gateway "alice"',
    });
  });

  it("refuses a Password gateway whose name is another gateway's explicit username", () => {
    const index = new MappingConflictIndex([
      gw("1", { name: "Acme", authMode: "password", authUsername: "pbx100", ipAddresses: [] }),
    ]);
    expect(index.ownerOfUsername("Acme")).toBeUndefined();
    expect(index.conflictOf(gw("2", { name: "pbx100", authMode: "password", ipAddresses: [] }))?.message).toBe(
      'Digest username "pbx100" is already used by mapping gateway "Acme"',
    );
  });

  it("refuses a username held by a digest account outside mapping gateways, with its label", () => {
    const index = new MappingConflictIndex([], [["carrier1", { id: "rg-9", label: 'routing gateway "Carrier One"' }]]);
    expect(index.ownerOfUsername("carrier1")).toEqual({ id: "rg-9", label: 'routing gateway "Carrier One"' });
    expect(index.conflictOf(gw("2", { authMode: "password", authUsername: "carrier1", ipAddresses: [] }))).toEqual({
      path: "authUsername",
      message: 'Digest username "carrier1" is already used by routing gateway "Carrier One"',
    });
  });

  it("ignores usernames of IP and IP+Port gateways", () => {
    const index = new MappingConflictIndex([
      gw("1", { authUsername: "shared" }),
      gw("2", { authMode: "ip-port", port: 5060, authUsername: "shared2" }),
    ]);
    expect(index.ownerOfUsername("shared")).toBeUndefined();
    expect(index.ownerOfUsername("shared2")).toBeUndefined();
    expect(index.conflictOf(gw("3", { authMode: "password", authUsername: "shared", ipAddresses: [] }))).toBeNull();
  });

  it("keeps a disabled Password gateway's username reserved", () => {
    const index = new MappingConflictIndex([
      gw("1", { name: "alice", authMode: "password", enabled: false, ipAddresses: [] }),
    ]);
    expect(index.conflictOf(gw("2", { authMode: "password", authUsername: "alice", ipAddresses: [] }))?.path).toBe(
      "authUsername",
    );
  });

  it("answers undefined for a username nobody uses", () => {
    expect(new MappingConflictIndex([gw("1")]).ownerOfUsername("nobody")).toBeUndefined();
  });
});
