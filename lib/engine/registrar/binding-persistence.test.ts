import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "@/lib/engine/clock";
import {
  BINDINGS_FILE,
  loadBindings,
  BindingJournal,
  BINDING_JOURNAL_FILE,
  loadBindingJournal,
  saveBindings,
} from "@/lib/engine/registrar/binding-persistence";
import { Registrar } from "@/lib/engine/registrar/binding-store";
import { OTHER_PHONE, PARAMS, PHONE, registerRequest } from "@/lib/engine/registrar/test-register";

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), "bindings-"));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

function populated() {
  const clock = new FakeClock();
  const store = new Registrar({ clock });
  store.handleRegister(
    "gw1",
    registerRequest({
      contacts: ["<sip:alice@192.0.2.10:5062;transport=udp>;q=0.5", "<sip:alice@[2001:db8::1]>"],
      userAgent: "Yealink SIP-T46S",
    }),
    PHONE,
    PARAMS,
  );
  store.handleRegister("gw2", registerRequest({ user: "bob", expires: 120 }), OTHER_PHONE, PARAMS);
  store.handleRegister(
    "gw3",
    registerRequest({ user: "carol" }),
    { transport: "tcp", address: "203.0.113.5", port: 40312, connectionId: 7 },
    PARAMS,
  );
  return { clock, store };
}

describe("saving and loading bindings", () => {
  it("round-trips through the data folder in a file only the engine can read", () => {
    const { clock, store } = populated();
    expect(saveBindings(dataDir, store)).toEqual({ ok: true, count: 4 });
    const file = path.join(dataDir, BINDINGS_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const restarted = new Registrar({ clock });
    expect(loadBindings(dataDir, restarted, clock.now())).toEqual({ ok: true, loaded: 4, skipped: 0, rejected: 0 });
    // A TCP connection does not survive the restart; everything else does.
    const expected = store
      .list()
      .bindings.map((b) =>
        b.accountId === "gw3" ? { ...b, source: { transport: "tcp", address: "203.0.113.5", port: 40312 } } : b,
      );
    expect(restarted.list().bindings).toEqual(expected);
    expect(restarted.lookup("gw1")).toMatchObject([
      { uri: "sip:alice@[2001:db8::1]" },
      { uri: "sip:alice@192.0.2.10:5062;transport=udp", q: 0.5, userAgent: "Yealink SIP-T46S" },
    ]);
  });

  it("skips bindings whose grace ran out while the engine was down, keeps those within it flagged", () => {
    const { clock, store } = populated();
    saveBindings(dataDir, store);
    const restarted = new Registrar({ clock });
    // gw2 expires at 120 s and goes at 180 s; the others live an hour.
    clock.advance(150_000);
    expect(loadBindings(dataDir, restarted, clock.now())).toMatchObject({ ok: true, loaded: 4, skipped: 0 });
    expect(restarted.lookup("gw2")).toMatchObject([{ expired: true }]);
    const later = new Registrar({ clock });
    clock.advance(30_000);
    expect(loadBindings(dataDir, later, clock.now())).toEqual({ ok: true, loaded: 3, skipped: 1, rejected: 0 });
    expect(later.lookup("gw2")).toEqual([]);
  });

  it("reports a corrupt file as a value, and rejects records that make no sense", () => {
    const clock = new FakeClock();
    const file = path.join(dataDir, BINDINGS_FILE);
    expect(loadBindings(dataDir, new Registrar({ clock }), clock.now())).toEqual({
      ok: true,
      loaded: 0,
      skipped: 0,
      rejected: 0,
    });
    writeFileSync(file, '{"format":"softswitch-bindings/1","bindings":[{"accountId":');
    expect(loadBindings(dataDir, new Registrar({ clock }), clock.now())).toMatchObject({
      ok: false,
      reason: expect.stringContaining("not readable JSON"),
    });
    writeFileSync(file, JSON.stringify({ format: "something-else", bindings: [] }));
    expect(loadBindings(dataDir, new Registrar({ clock }), clock.now())).toMatchObject({
      ok: false,
      reason: expect.stringContaining("does not hold saved bindings"),
    });
    const { store } = populated();
    saveBindings(dataDir, store);
    const content = JSON.parse(readFileSync(file, "utf8"));
    content.bindings[0].uri = "not a uri";
    content.bindings[1].source.transport = "sctp";
    writeFileSync(file, JSON.stringify(content));
    expect(loadBindings(dataDir, new Registrar({ clock }), clock.now())).toEqual({
      ok: true,
      loaded: 2,
      skipped: 0,
      rejected: 2,
    });
  });

  it("reports a folder it cannot write instead of throwing", () => {
    const { store } = populated();
    const notAFolder = path.join(dataDir, "file");
    writeFileSync(notAFolder, "");
    expect(saveBindings(notAFolder, store)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("cannot write"),
    });
  });
});

describe("BindingJournal", () => {
  it("has every change on disk once flushed, the last line of an account winning, and replays it after a restart", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ssc-binding-journal-"));
    const clock = new FakeClock();
    const store = new Registrar({ clock });
    const journal = new BindingJournal({ dataDir: dir, store, clock });
    const load = () => {
      const copy = new Registrar({ clock });
      expect(loadBindingJournal(dir, copy, clock.now())).toMatchObject({ ok: true });
      return copy;
    };
    for (let i = 0; i < 5; i++) store.handleRegister(`gw${i}`, registerRequest({ user: `u${i}` }), PHONE, PARAMS);
    await journal.flush();
    expect(load().count()).toBe(5);
    // A refresh from a new address: the journal's newest line for gw1 is what comes back
    store.handleRegister("gw1", registerRequest({ user: "u1", cseq: 2 }), { ...PHONE, port: 6000 }, PARAMS);
    store.removeAccount("gw0");
    await journal.flush();
    const restarted = load();
    expect(restarted.count()).toBe(4);
    expect(restarted.lookup("gw1").map((b) => b.source.port)).toEqual([6000]);
    expect(statSync(path.join(dir, BINDING_JOURNAL_FILE)).mode & 0o777).toBe(0o600);
    journal.stop();
    // Started again, the journal begins from a checkpoint of what it loaded
    const again = new BindingJournal({ dataDir: dir, store: restarted, clock });
    again.stop();
    expect(readFileSync(path.join(dir, BINDING_JOURNAL_FILE), "utf8").trim().split("\n")).toHaveLength(4);
  });

  it("reads the whole-file format of earlier versions when there is no journal yet (an upgrade)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ssc-binding-upgrade-"));
    const clock = new FakeClock();
    const store = new Registrar({ clock });
    for (let i = 0; i < 3; i++) store.handleRegister(`gw${i}`, registerRequest({ user: `u${i}` }), PHONE, PARAMS);
    expect(saveBindings(dir, store)).toEqual({ ok: true, count: 3 });
    expect(loadBindingJournal(dir, new Registrar({ clock }), clock.now())).toMatchObject({ ok: true, loaded: 3 });
  });
});
