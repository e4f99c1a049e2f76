import { describe, expect, it } from "vitest";
import { FakeClock } from "@/lib/engine/clock";
import { Registrar } from "@/lib/engine/registrar/binding-store";
import { registerReasonPhrase, registerResponseHeaders } from "@/lib/engine/registrar/register-response";
import { OTHER_PHONE, PARAMS, parseRequest, PHONE, registerRequest } from "@/lib/engine/registrar/test-register";

function setup(options: { maxBindingsPerAccount?: number } = {}) {
  const clock = new FakeClock();
  return { clock, store: new Registrar({ clock, ...options }) };
}

const A = "<sip:alice@192.0.2.10:5062>";
const B = "<sip:alice@192.0.2.11:5062>";

describe("expiry chosen for a binding", () => {
  it("grants SS_ENDPOINT_EXPIRE when neither the contact nor the request asks", () => {
    const { store } = setup();
    const result = store.handleRegister("gw1", registerRequest(), PHONE, PARAMS);
    expect(result).toEqual({
      status: 200,
      contacts: [{ uri: "sip:alice@192.0.2.10:5062", expires: 3600, q: null }],
      expires: 3600,
    });
    expect(registerResponseHeaders(result)).toEqual([
      ["Contact", "<sip:alice@192.0.2.10:5062>;expires=3600"],
      ["Expires", "3600"],
    ]);
    expect(registerReasonPhrase(result)).toBe("OK");
  });

  it("takes the Expires header, and a contact's expires parameter over it", () => {
    const { store } = setup();
    const result = store.handleRegister(
      "gw1",
      registerRequest({ contacts: [A, `${B};expires=600`], expires: 1800 }),
      PHONE,
      PARAMS,
    );
    expect(result.status === 200 && result.contacts.map((c) => c.expires)).toEqual([1800, 600]);
  });

  it("shortens a lifetime longer than the most granted", () => {
    const { store } = setup();
    const result = store.handleRegister("gw1", registerRequest({ expires: 86400 }), PHONE, PARAMS);
    expect(result).toMatchObject({ status: 200, contacts: [{ expires: 3600 }], expires: 3600 });
  });

  it("answers 423 with Min-Expires below 60 s and keeps nothing", () => {
    const { store } = setup();
    const header = store.handleRegister("gw1", registerRequest({ expires: 59 }), PHONE, PARAMS);
    expect(header).toEqual({ status: 423, minExpires: 60 });
    expect(registerResponseHeaders(header)).toEqual([["Min-Expires", "60"]]);
    expect(registerReasonPhrase(header)).toBe("Interval Too Brief");
    // One brief contact refuses the whole request, the good one included.
    expect(
      store.handleRegister("gw1", registerRequest({ contacts: [A, `${B};expires=30`] }), PHONE, PARAMS).status,
    ).toBe(423);
    expect(store.count()).toBe(0);
    expect(store.handleRegister("gw1", registerRequest({ expires: 60 }), PHONE, PARAMS).status).toBe(200);
  });
});

describe("removal", () => {
  it("removes a contact with expires=0 or Expires: 0, leaving the others", () => {
    const { store } = setup();
    store.handleRegister("gw1", registerRequest({ contacts: [A, B], cseq: 1 }), PHONE, PARAMS);
    const first = store.handleRegister(
      "gw1",
      registerRequest({ contacts: [`${A};expires=0`], cseq: 2 }),
      PHONE,
      PARAMS,
    );
    expect(first).toMatchObject({ status: 200, contacts: [{ uri: "sip:alice@192.0.2.11:5062" }] });
    const second = store.handleRegister("gw1", registerRequest({ contacts: [B], expires: 0, cseq: 3 }), PHONE, PARAMS);
    expect(second).toEqual({ status: 200, contacts: [], expires: 0 });
    expect(store.lookup("gw1")).toEqual([]);
  });

  it("removes every binding of the account with * and Expires: 0, and no other account's", () => {
    const { store } = setup();
    store.handleRegister("gw1", registerRequest({ contacts: [A, B], cseq: 1 }), PHONE, PARAMS);
    store.handleRegister("gw2", registerRequest({ user: "bob" }), OTHER_PHONE, PARAMS);
    const result = store.handleRegister(
      "gw1",
      registerRequest({ contacts: ["*"], expires: 0, cseq: 2 }),
      PHONE,
      PARAMS,
    );
    expect(result).toEqual({ status: 200, contacts: [], expires: 0 });
    expect(store.lookup("gw1")).toEqual([]);
    expect(store.lookup("gw2")).toHaveLength(1);
  });

  it("answers 400 to * without Expires: 0, to * with other contacts, and to a malformed Contact", () => {
    const { store } = setup();
    store.handleRegister("gw1", registerRequest({ cseq: 1 }), PHONE, PARAMS);
    const cases = [
      registerRequest({ contacts: ["*"], cseq: 2 }),
      registerRequest({ contacts: ["*"], expires: 3600, cseq: 3 }),
      registerRequest({ contacts: ["*", A], expires: 0, cseq: 4 }),
      registerRequest({ contacts: ["<sip:alice@192.0.2.10"], cseq: 5 }),
      registerRequest({ contacts: [""], cseq: 6 }),
    ];
    const results = cases.map((request) => store.handleRegister("gw1", request, PHONE, PARAMS));
    expect(results.map((r) => r.status)).toEqual([400, 400, 400, 400, 400]);
    expect(results.map((r) => registerReasonPhrase(r))).toEqual([
      "Contact * requires Expires: 0",
      "Contact * requires Expires: 0",
      "Malformed Contact: Contact * mixed with addresses",
      "Malformed Contact: missing >",
      "Malformed Contact: empty Contact value",
    ]);
    expect(store.lookup("gw1")).toHaveLength(1);
  });

  it("answers 400 to a REGISTER without Call-ID", () => {
    const { store } = setup();
    const text =
      "REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1\r\nTo: <sip:a@example.com>\r\nFrom: <sip:a@example.com>;tag=1\r\nCSeq: 1 REGISTER\r\nContact: <sip:a@192.0.2.10>\r\nContent-Length: 0\r\n\r\n";
    expect(store.handleRegister("gw1", parseRequest(Buffer.from(text)), PHONE, PARAMS)).toMatchObject({ status: 400 });
  });
});

describe("several contacts and the 200", () => {
  it("binds every contact of one REGISTER, on one line or several, with its q", () => {
    const { store } = setup();
    const request = registerRequest({
      contacts: [`${A};q=0.7, <sip:alice@[2001:db8::1]:5062>;expires=120`, `${B};q=1`],
    });
    const result = store.handleRegister("gw1", request, PHONE, PARAMS);
    expect(result).toMatchObject({
      status: 200,
      contacts: [
        { uri: "sip:alice@192.0.2.10:5062", q: 0.7 },
        { uri: "sip:alice@[2001:db8::1]:5062", expires: 120 },
        { q: 1 },
      ],
    });
    expect(registerResponseHeaders(result)[0]).toEqual(["Contact", "<sip:alice@192.0.2.10:5062>;expires=3600;q=0.7"]);
    // lookup: the best q first
    expect(store.lookup("gw1").map((b) => b.q)).toEqual([1, null, 0.7]);
  });

  it("lists all current bindings of the account with their remaining time", () => {
    const { store, clock } = setup();
    store.handleRegister("gw1", registerRequest({ contacts: [A], cseq: 1 }), PHONE, PARAMS);
    clock.advance(1000_000);
    const result = store.handleRegister(
      "gw1",
      registerRequest({ contacts: [B], cseq: 2, expires: 600 }),
      PHONE,
      PARAMS,
    );
    expect(result).toMatchObject({
      status: 200,
      contacts: [
        { uri: "sip:alice@192.0.2.10:5062", expires: 2600 },
        { uri: "sip:alice@192.0.2.11:5062", expires: 600 },
      ],
      expires: 600,
    });
    clock.advance(500);
    const query = store.handleRegister("gw1", registerRequest({ contacts: [], cseq: 3 }), PHONE, PARAMS);
    expect(query).toEqual({
      status: 200,
      contacts: [
        { uri: "sip:alice@192.0.2.10:5062", expires: 2600, q: null },
        { uri: "sip:alice@192.0.2.11:5062", expires: 600, q: null },
      ],
    });
    expect(registerResponseHeaders(query)).toHaveLength(2);
  });
});

describe("refresh and ordering", () => {
  it("refreshes with the same Call-ID and a higher CSeq: new expiry and source, same registration time", () => {
    const { store, clock } = setup();
    store.handleRegister("gw1", registerRequest({ cseq: 1, userAgent: "Yealink SIP-T46S 66.86.0.15" }), PHONE, PARAMS);
    const registeredAt = clock.now();
    clock.advance(3000_000);
    const result = store.handleRegister("gw1", registerRequest({ cseq: 2 }), OTHER_PHONE, {
      ...PARAMS,
      replace: false,
    });
    expect(result).toMatchObject({ status: 200, contacts: [{ expires: 3600 }] });
    const [binding] = store.lookup("gw1");
    expect(binding).toMatchObject({
      cseq: 2,
      registeredAt,
      expiresAt: clock.now() + 3600_000,
      source: OTHER_PHONE,
      userAgent: null,
      expired: false,
    });
  });

  it("ignores a REGISTER of the same Call-ID whose CSeq is not higher (out of order or retransmitted)", () => {
    const { store, clock } = setup();
    store.handleRegister("gw1", registerRequest({ cseq: 5, expires: 3600 }), PHONE, PARAMS);
    const before = store.lookup("gw1");
    clock.advance(10_000);
    const late = store.handleRegister("gw1", registerRequest({ cseq: 4, expires: 0 }), PHONE, PARAMS);
    expect(late).toMatchObject({ status: 200, contacts: [{ expires: 3590 }] });
    store.handleRegister("gw1", registerRequest({ cseq: 5, expires: 600 }), OTHER_PHONE, PARAMS);
    store.handleRegister("gw1", registerRequest({ cseq: 4, contacts: ["*"], expires: 0 }), PHONE, PARAMS);
    expect(store.lookup("gw1")).toEqual(before);
  });

  it("finds the binding by RFC 3261 §19.1.4 equality and keeps the latest bytes", () => {
    const { store } = setup();
    store.handleRegister(
      "gw1",
      registerRequest({ cseq: 1, contacts: ["<sip:alice@atlanta.example.com;transport=tcp>"] }),
      PHONE,
      PARAMS,
    );
    store.handleRegister(
      "gw1",
      registerRequest({ cseq: 2, contacts: ["<sip:%61lice@AtLanTa.example.CoM;Transport=TCP>"] }),
      PHONE,
      PARAMS,
    );
    expect(store.lookup("gw1").map((b) => b.uri)).toEqual(["sip:%61lice@AtLanTa.example.CoM;Transport=TCP"]);
  });

  it("replaces the binding of the same contact registered with another Call-ID, replace on or off", () => {
    for (const replace of [true, false]) {
      const { store, clock } = setup();
      store.handleRegister("gw1", registerRequest({ callId: "first@phone", cseq: 9 }), PHONE, PARAMS);
      clock.advance(60_000);
      // A rebooted phone: new Call-ID, CSeq from 1, same contact.
      const result = store.handleRegister("gw1", registerRequest({ callId: "second@phone", cseq: 1 }), PHONE, {
        ...PARAMS,
        replace,
      });
      expect(result.status).toBe(200);
      expect(store.lookup("gw1")).toMatchObject([{ callId: "second@phone", cseq: 1, registeredAt: clock.now() }]);
    }
  });
});

describe("SS_ENDPOINT_REGISTER_REPLACE", () => {
  it("on: a new registration from another address replaces the old binding, leaving no ghost", () => {
    const { store } = setup();
    store.handleRegister("gw1", registerRequest({ callId: "old@phone", contacts: [A] }), PHONE, PARAMS);
    const result = store.handleRegister(
      "gw1",
      registerRequest({ callId: "new@phone", contacts: [B] }),
      OTHER_PHONE,
      PARAMS,
    );
    expect(result).toMatchObject({ status: 200, contacts: [{ uri: "sip:alice@192.0.2.11:5062" }] });
    expect(store.lookup("gw1")).toMatchObject([{ callId: "new@phone", source: OTHER_PHONE }]);
  });

  it("on: the same Call-ID adding a contact adds a binding (RFC 3261 §10.2.1.1), a removal never evicts", () => {
    const { store } = setup();
    store.handleRegister("gw1", registerRequest({ callId: "one@phone", contacts: [A], cseq: 1 }), PHONE, PARAMS);
    store.handleRegister("gw1", registerRequest({ callId: "one@phone", contacts: [B], cseq: 2 }), PHONE, PARAMS);
    expect(store.lookup("gw1")).toHaveLength(2);
    store.handleRegister(
      "gw1",
      registerRequest({ callId: "other@phone", contacts: ["<sip:alice@192.0.2.99>"], expires: 0 }),
      PHONE,
      PARAMS,
    );
    expect(store.lookup("gw1")).toHaveLength(2);
  });

  it("off: refused with 403 while the old binding lives, accepted once it has expired", () => {
    const { store, clock } = setup();
    const off = { ...PARAMS, replace: false };
    store.handleRegister("gw1", registerRequest({ callId: "old@phone", contacts: [A], expires: 600 }), PHONE, off);
    const refused = store.handleRegister(
      "gw1",
      registerRequest({ callId: "new@phone", contacts: [B] }),
      OTHER_PHONE,
      off,
    );
    expect(refused).toEqual({ status: 403, reason: "Already registered from another device" });
    expect(registerReasonPhrase(refused)).toBe("Already registered from another device");
    expect(store.lookup("gw1")).toMatchObject([{ callId: "old@phone" }]);
    // the owner may still refresh
    clock.advance(500_000);
    expect(
      store.handleRegister(
        "gw1",
        registerRequest({ callId: "old@phone", contacts: [A], cseq: 2, expires: 600 }),
        PHONE,
        off,
      ).status,
    ).toBe(200);
    clock.advance(600_000);
    const accepted = store.handleRegister(
      "gw1",
      registerRequest({ callId: "new@phone", contacts: [B] }),
      OTHER_PHONE,
      off,
    );
    expect(accepted).toMatchObject({ status: 200, contacts: [{ uri: "sip:alice@192.0.2.11:5062" }] });
  });

  it("refuses contacts past the per-account limit", () => {
    const { store } = setup({ maxBindingsPerAccount: 2 });
    const result = store.handleRegister(
      "gw1",
      registerRequest({ contacts: [A, B, "<sip:alice@192.0.2.12>"] }),
      PHONE,
      PARAMS,
    );
    expect(result).toEqual({ status: 403, reason: "Too many contacts for this account" });
    expect(store.count()).toBe(0);
  });
});
