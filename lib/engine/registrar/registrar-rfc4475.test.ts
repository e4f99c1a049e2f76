import { describe, expect, it } from "vitest";
import { FakeClock } from "@/lib/engine/clock";
import { Registrar } from "@/lib/engine/registrar/binding-store";
import { registerReasonPhrase, registerResponseHeaders } from "@/lib/engine/registrar/register-response";
import { PARAMS, parseRequest, PHONE } from "@/lib/engine/registrar/test-register";
import { readTorture } from "@/lib/engine/sip/fixture-files";
import { buildResponse } from "@/lib/engine/sip/response";
import { serializeMessage } from "@/lib/engine/sip/serializer";

// The RFC 4475 torture messages that are REGISTERs, registered as they arrive (read as Buffers).
function register(name: string) {
  const store = new Registrar({ clock: new FakeClock() });
  const request = parseRequest(readTorture(name));
  const result = store.handleRegister("gw1", request, PHONE, PARAMS);
  return { store, request, result };
}

describe("RFC 4475 REGISTER messages", () => {
  it("escnull (§3.1.1.7): %00 and %00%00 are two distinct contacts", () => {
    const { store, result } = register("escnull");
    expect(result.status).toBe(200);
    expect(
      store
        .lookup("gw1")
        .map((b) => b.uri)
        .sort(),
    ).toEqual(["sip:%00%00@host5.example.com", "sip:%00@host5.example.com"]);
  });

  it("cparam01 (§3.1.2.6): unknownparam is a contact parameter, not part of the bound URI", () => {
    const { store } = register("cparam01");
    expect(store.lookup("gw1").map((b) => b.uri)).toEqual(["sip:+19725552222@gw1.example.net"]);
  });

  it("cparam02 (§3.1.2.7): unknownparam inside < > stays a URI parameter", () => {
    const { store, request, result } = register("cparam02");
    expect(store.lookup("gw1").map((b) => b.uri)).toEqual(["sip:+19725552222@gw1.example.net;unknownparam"]);
    const response = serializeMessage(
      buildResponse(request, result.status, registerReasonPhrase(result), registerResponseHeaders(result)),
    ).toString("utf8");
    expect(response).toContain("\r\nContact: <sip:+19725552222@gw1.example.net;unknownparam>;expires=3600\r\n");
  });

  it("regescrt (§3.1.2.10): the escaped Route header stays in the contact URI, byte for byte", () => {
    const { store, result } = register("regescrt");
    expect(store.lookup("gw1").map((b) => b.uri)).toEqual(["sip:user@example.com?Route=%3Csip:sip.example.com%3E"]);
    expect(registerResponseHeaders(result)[0]).toEqual([
      "Contact",
      "<sip:user@example.com?Route=%3Csip:sip.example.com%3E>;expires=3600",
    ]);
  });
});
