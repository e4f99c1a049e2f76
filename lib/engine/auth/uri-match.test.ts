import { describe, expect, it } from "vitest";
import { digestUriMatches } from "@/lib/engine/auth/uri-match";

describe("digestUriMatches (RFC 7616 §3.4.6)", () => {
  it.each([
    ["sip:softswitch.local", "sip:softswitch.local"],
    ["SIP:SoftSwitch.LOCAL", "sip:softswitch.local"],
    ["sip:alice@example.com;transport=udp;lr", "sip:alice@example.com;lr;transport=UDP"],
    ["sip:%61lice@example.com", "sip:alice@example.com"],
    ["sip:01135312222222@sip.aol.com;transport=udp", "sip:01135312222222@sip.aol.com;transport=udp"],
    ["tel:+15551234567", "TEL:+15551234567"],
  ])("%s names %s", (digestUri, requestUri) => {
    expect(digestUriMatches(digestUri, requestUri)).toBe(true);
  });

  it.each([
    ["sip:softswitch.local:5060", "sip:softswitch.local"],
    ["sip:Alice@example.com", "sip:alice@example.com"],
    ["sips:example.com", "sip:example.com"],
    ["sip:example.com;transport=tcp", "sip:example.com"],
    ["sip:other.example", "sip:example.com"],
    ["/dir/index.html", "sip:example.com"],
    ["", "sip:example.com"],
  ])("%s does not name %s", (digestUri, requestUri) => {
    expect(digestUriMatches(digestUri, requestUri)).toBe(false);
  });
});
