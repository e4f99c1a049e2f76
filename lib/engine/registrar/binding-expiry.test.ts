import { describe, expect, it } from "vitest";
import { FakeClock } from "@/lib/engine/clock";
import { Registrar } from "@/lib/engine/registrar/binding-store";
import { OTHER_PHONE, PARAMS, PHONE, registerRequest } from "@/lib/engine/registrar/test-register";

function setup() {
  const clock = new FakeClock();
  return { clock, store: new Registrar({ clock }) };
}

describe("expiry and the grace period (SS_ENDPOINTTIMETOLIVE)", () => {
  it("flags a binding expired at its expiry and removes it exactly when the grace has run out", () => {
    const { store, clock } = setup();
    store.handleRegister("gw1", registerRequest({ expires: 600 }), PHONE, { ...PARAMS, graceSeconds: 60 });
    clock.advance(600_000 - 1);
    expect(store.lookup("gw1")).toMatchObject([{ expired: false }]);
    clock.advance(1);
    expect(store.lookup("gw1")).toMatchObject([{ expired: true }]);
    // No longer current: the 200 to a query does not list it, but calls can still reach it.
    expect(store.handleRegister("gw1", registerRequest({ contacts: [], cseq: 2 }), PHONE, PARAMS)).toEqual({
      status: 200,
      contacts: [],
    });
    clock.advance(60_000 - 1);
    expect(store.lookup("gw1")).toHaveLength(1);
    expect(store.count()).toBe(1);
    clock.advance(1);
    expect(store.lookup("gw1")).toEqual([]);
    expect(store.list()).toEqual({ total: 0, bindings: [] });
    expect(store.count()).toBe(0);
  });

  it("removes at the expiry itself with no grace", () => {
    const { store, clock } = setup();
    store.handleRegister("gw1", registerRequest({ expires: 60 }), PHONE, { ...PARAMS, graceSeconds: 0 });
    clock.advance(60_000 - 1);
    expect(store.lookup("gw1")).toHaveLength(1);
    clock.advance(1);
    expect(store.lookup("gw1")).toEqual([]);
  });

  it("brings an expired binding back to life with a refresh that arrives within the grace", () => {
    const { store, clock } = setup();
    store.handleRegister("gw1", registerRequest({ cseq: 1, expires: 600 }), PHONE, PARAMS);
    clock.advance(630_000);
    const result = store.handleRegister("gw1", registerRequest({ cseq: 2, expires: 600 }), PHONE, PARAMS);
    expect(result).toMatchObject({ status: 200, contacts: [{ expires: 600 }] });
    expect(store.lookup("gw1")).toMatchObject([{ expired: false, cseq: 2 }]);
  });

  it("sweeps with one timer for all bindings, freeing what has run out", () => {
    const { store, clock } = setup();
    for (let i = 0; i < 200; i++) {
      store.handleRegister(`gw${i}`, registerRequest({ user: `u${i}`, expires: 60 + i }), PHONE, {
        ...PARAMS,
        graceSeconds: 0,
      });
    }
    expect(clock.pendingTimers()).toBe(1);
    clock.advance(100_000);
    // The timer ran (at most once per sweep interval) without anyone reading.
    expect(clock.pendingTimers()).toBe(1);
    expect(store.sweep(clock.now())).toBe(0);
    expect(store.list().total).toBe(159);
    expect(store.sweep(clock.now() + 50_000)).toBe(50);
    clock.advance(200_000);
    expect(clock.pendingTimers()).toBe(0);
    expect(store.count()).toBe(0);
  });

  it("sweep(now) removes only bindings past their grace and reports how many", () => {
    const { store, clock } = setup();
    store.handleRegister("gw1", registerRequest({ expires: 60 }), PHONE, PARAMS);
    store.handleRegister("gw2", registerRequest({ user: "bob", expires: 3600 }), OTHER_PHONE, PARAMS);
    const start = clock.now();
    expect(store.sweep(start + 119_999)).toBe(0);
    expect(store.sweep(start + 120_000)).toBe(1);
    expect(store.list().bindings.map((b) => b.accountId)).toEqual(["gw2"]);
  });
});

describe("listing and removing", () => {
  function threeAccounts() {
    const env = setup();
    env.store.handleRegister(
      "gw1",
      registerRequest({ contacts: ["<sip:a@192.0.2.1>", "<sip:a@192.0.2.2>"] }),
      PHONE,
      PARAMS,
    );
    env.store.handleRegister("gw2", registerRequest({ user: "bob" }), OTHER_PHONE, PARAMS);
    env.store.handleRegister(
      "gw3",
      registerRequest({ user: "carol" }),
      { transport: "tcp", address: "203.0.113.5", port: 40312, connectionId: 7 },
      PARAMS,
    );
    return env;
  }

  it("lists with limit, offset and an account filter", () => {
    const { store } = threeAccounts();
    expect(store.count()).toBe(4);
    const page = store.list({ limit: 2, offset: 1 });
    expect(page.total).toBe(4);
    expect(page.bindings.map((b) => `${b.accountId} ${b.uri}`)).toEqual([
      "gw1 sip:a@192.0.2.2",
      "gw2 sip:bob@192.0.2.10:5062",
    ]);
    expect(store.list({ accountId: "gw3" }).bindings).toMatchObject([
      { source: { transport: "tcp", connectionId: 7 } },
    ]);
    expect(store.list({ accountId: "nobody" })).toEqual({ total: 0, bindings: [] });
  });

  it("removes one contact (compared as URIs), an account, or the accounts no longer configured", () => {
    const { store } = threeAccounts();
    expect(store.remove("gw1", "sip:a@192.0.2.2")).toBe(1);
    expect(store.remove("gw1", "sip:a@192.0.2.2")).toBe(0);
    expect(store.remove("gw1", "SIP:a@192.0.2.1")).toBe(1);
    expect(store.removeAccount("gw2")).toBe(1);
    expect(store.retainAccounts(new Set(["gw1", "gw2"]))).toBe(1);
    expect(store.count()).toBe(0);
  });

  it("tells listeners about changes worth saving, not about ignored requests", () => {
    const { store } = setup();
    let changes = 0;
    const stop = store.onChange(() => changes++);
    store.handleRegister("gw1", registerRequest({ cseq: 2 }), PHONE, PARAMS);
    store.handleRegister("gw1", registerRequest({ cseq: 2 }), PHONE, PARAMS);
    store.handleRegister("gw1", registerRequest({ expires: 10, cseq: 3 }), PHONE, PARAMS);
    expect(changes).toBe(1);
    store.removeAccount("gw1");
    expect(changes).toBe(2);
    stop();
    store.handleRegister("gw1", registerRequest({ cseq: 4 }), PHONE, PARAMS);
    expect(changes).toBe(2);
  });
});
