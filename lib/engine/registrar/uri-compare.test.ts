import { describe, expect, it } from "vitest";
import { sameUri } from "@/lib/engine/registrar/uri-compare";
import { parseUri, type Uri } from "@/lib/engine/sip/uri";

function uri(text: string): Uri {
  const parsed = parseUri(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

// The examples of RFC 3261 §19.1.4.
describe("contact URI comparison (RFC 3261 §19.1.4)", () => {
  it.each([
    ["sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"],
    ["sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"],
    ["sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on"],
    [
      "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
      "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com",
    ],
    [
      "sip:alice@atlanta.com?subject=project%20x&priority=urgent",
      "sip:alice@atlanta.com?priority=urgent&subject=project%20x",
    ],
  ])("%s equals %s", (a, b) => {
    expect(sameUri(uri(a), uri(b))).toBe(true);
    expect(sameUri(uri(b), uri(a))).toBe(true);
  });

  it.each([
    ["SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"],
    ["sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"],
    ["sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"],
    ["sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"],
    ["sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"],
    ["sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"],
    ["sip:%00@host5.example.com", "sip:%00%00@host5.example.com"],
    ["sip:alice@example.com", "sips:alice@example.com"],
    ["sip:alice@example.com;newparam=5", "sip:alice@example.com;newparam=6"],
  ])("%s differs from %s", (a, b) => {
    expect(sameUri(uri(a), uri(b))).toBe(false);
    expect(sameUri(uri(b), uri(a))).toBe(false);
  });
});
