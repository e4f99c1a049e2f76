import { describe, expect, it } from "vitest";
import {
  checkChallengeMode,
  checkMappingCredentials,
  checkMappingModes,
  checkMonitor,
  checkOutboundCall,
  checkReload,
  checkRegistration,
  checkRoutingAuth,
  checklistAnswersUpdateSchema,
  checklistSummary,
  isPrivateAddress,
  passwordWeakness,
  type GatewayFacts,
} from "@/lib/domain/checklist";
import type { TraceMessage } from "@/lib/domain/trace";

const gw = (over: Partial<GatewayFacts>): GatewayFacts => ({
  id: "g1",
  name: "phone",
  enabled: true,
  authMode: "password",
  ipAddresses: [],
  username: "phone",
  passwordProblem: null,
  hasPassword: true,
  ...over,
});

describe("answers", () => {
  it("a PATCH changes only what it sends, and refuses a bad number precisely", () => {
    expect(checklistAnswersUpdateSchema.parse({ number: "4930" })).toEqual({ number: "4930" });
    expect(checklistAnswersUpdateSchema.safeParse({ number: "49-30" }).error?.issues[0].message).toBe(
      "The test number has digits only, with an optional leading +",
    );
    expect(checklistAnswersUpdateSchema.safeParse({ endpointTypes: ["fax"] }).error?.issues[0].message).toBe(
      'Unknown endpoint type "fax"',
    );
  });

  it("refuses a key it does not know instead of ignoring it (issue 19)", () => {
    const parsed = checklistAnswersUpdateSchema.safeParse({ number: "4930", registrationTraceId: "t1", extra: 1 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      code: "unrecognized_keys",
      keys: ["registrationTraceId", "extra"],
    });
  });
});

describe("step 1: challenge mode", () => {
  it("fails when the saved mode leaves a ticked type unserved, naming the mode to set", () => {
    const v = checkChallengeMode(["goip"], 2, 2);
    expect(v).toMatchObject({ status: "fail", fix: { label: "Set SS_AUTHCHALLENGEMODE to 3" } });
    expect(v.summary).toBe("Mode 2 does not serve GoIP GSM gateways: set 3.");
  });
  it("passes when it serves them all, and says when the engine still runs another mode", () => {
    const v = checkChallengeMode(["goip", "yealink"], 3, 2);
    expect(v.status).toBe("pass");
    expect(v.evidence[0]).toContain("the engine still runs 2 until a reload");
  });
  it("asks for the endpoint types first", () => expect(checkChallengeMode([], 2, 2).status).toBe("fail"));
});

describe("step 2: mapping gateway modes", () => {
  it("fails with no gateway, warns on a public address without a password, passes otherwise", () => {
    expect(checkMappingModes([]).status).toBe("fail");
    expect(checkMappingModes([gw({ authMode: "ip", ipAddresses: ["203.0.113.9"], name: "pbx" })])).toMatchObject({
      status: "warn",
      fix: { href: "/mapping-gateways/g1" },
    });
    expect(checkMappingModes([gw({ authMode: "ip-port", ipAddresses: ["192.168.1.10"] }), gw({})]).status).toBe("pass");
  });
  it("knows private addresses", () => {
    expect(
      ["10.1.2.3", "127.0.0.1", "172.16.0.1", "192.168.0.1", "100.64.0.1", "fd00::1", "::1"].every(isPrivateAddress),
    ).toBe(true);
    expect(["8.8.8.8", "172.32.0.1", "2001:db8::1"].some(isPrivateAddress)).toBe(false);
  });
});

describe("step 3: credentials", () => {
  it("names weak passwords precisely", () => {
    expect(passwordWeakness("123456", "alice")).toBe("a well-known default password");
    expect(passwordWeakness("Ab1x", "alice")).toBe("only 4 characters (at least 8)");
    expect(passwordWeakness("alice-2024", "alice")).toBe("it contains the username");
    expect(passwordWeakness("98765432", "alice")).toBe("digits only");
    expect(passwordWeakness("Tr0ub4dor&3", "alice")).toBeNull();
  });
  it("fails on a missing or weak password with a link to that gateway", () => {
    const v = checkMappingCredentials([gw({ id: "g7", name: "lobby", passwordProblem: "digits only" })]);
    expect(v).toMatchObject({
      status: "fail",
      summary: "lobby has a weak password: digits only.",
      fix: { href: "/mapping-gateways/g7" },
    });
    expect(checkMappingCredentials([gw({})]).status).toBe("pass");
  });
});

describe("step 4: routing gateway authentication", () => {
  const carrier = {
    id: "r1",
    name: "carrier",
    enabled: true,
    kind: "static",
    hasCredentials: false,
    challengedUs: null,
  };
  it("fails for a carrier seen challenging without credentials, and for register-out without them", () => {
    expect(checkRoutingAuth([{ ...carrier, challengedUs: "it answered the last test INVITE with 407" }])).toMatchObject(
      { status: "fail", fix: { href: "/routing-gateways/r1" } },
    );
    expect(checkRoutingAuth([{ ...carrier, kind: "register-out" }]).summary).toBe(
      "carrier needs credentials: we register to it.",
    );
  });
  it("warns for a static carrier without credentials not seen challenging, passes with credentials", () => {
    expect(checkRoutingAuth([carrier]).status).toBe("warn");
    expect(checkRoutingAuth([{ ...carrier, hasCredentials: true }]).status).toBe("pass");
  });
});

describe("step 5: reload", () => {
  it("fails with pending changes or an engine behind, passes otherwise", () => {
    expect(checkReload(2, 4, 4)).toMatchObject({
      status: "fail",
      summary: "2 saved changes are not running yet.",
      fix: { href: "/reload" },
    });
    expect(checkReload(0, 3, 4).status).toBe("fail");
    expect(checkReload(0, null, 4).status).toBe("fail");
    expect(checkReload(0, 4, 4).status).toBe("pass");
  });
});

describe("step 6: registration", () => {
  const m = (
    id: number,
    direction: "in" | "out",
    method: string | null,
    status: number | null,
    auth = false,
  ): TraceMessage => ({
    id,
    seq: id,
    at: new Date(id).toISOString(),
    direction,
    transport: "udp",
    remoteAddress: "127.0.0.1",
    remotePort: 5070,
    method,
    status,
    cseqMethod: "REGISTER",
    callId: "r1",
    text: `${method ? `${method} sip:x SIP/2.0` : `SIP/2.0 ${status} X`}\r\nCall-ID: r1\r\nCSeq: ${id} REGISTER\r\n${auth ? 'Authorization: Digest username="p"\r\n' : ""}\r\n`,
  });
  it("waits for the device, passes on challenge + credentials + 200, fails with the doctor's finding", () => {
    expect(checkRegistration([], [], "phone").status).toBe("waiting");
    expect(
      checkRegistration(
        [
          m(1, "in", "REGISTER", null),
          m(2, "out", null, 401),
          m(3, "in", "REGISTER", null, true),
          m(4, "out", null, 200),
        ],
        [],
        "phone",
      ).status,
    ).toBe("pass");
    const failed = checkRegistration(
      [m(1, "in", "REGISTER", null), m(2, "out", null, 407)],
      [
        {
          cause: "ignores-407-on-register",
          title: "The endpoint does not answer 407 on REGISTER",
          explanation: "…",
          fix: { label: "Set mode", href: "/parameters?search=SS_AUTHCHALLENGEMODE" },
          callId: "r1",
        },
      ],
      "phone",
    );
    expect(failed).toMatchObject({
      status: "fail",
      summary: "The endpoint does not answer 407 on REGISTER",
      fix: { href: "/parameters?search=SS_AUTHCHALLENGEMODE" },
    });
  });
});

describe("step 7: outbound call", () => {
  const t = {
    ok: false,
    challenged: true,
    code: 503,
    reason: "Carrier Authentication Failed",
    summary: "…",
    carrierId: "r1",
    carrierName: "carrier",
    hasCredentials: false,
  };
  it("fails without credentials, passes when the challenge was answered, warns when there was none", () => {
    expect(checkOutboundCall(t)).toMatchObject({
      status: "fail",
      fix: { label: "Set the credentials of carrier", href: "/routing-gateways/r1" },
    });
    expect(checkOutboundCall({ ...t, challenged: false, code: 407 }).summary).toBe(
      "carrier challenged the test INVITE and has no credentials to answer with.",
    );
    expect(checkOutboundCall({ ...t, ok: true, code: 200, reason: "OK", hasCredentials: true }).status).toBe("pass");
    expect(checkOutboundCall({ ...t, ok: true, challenged: false, code: 200 }).status).toBe("warn");
  });
});

describe("step 8 and the summary", () => {
  it("fails on a loop or a suspended gateway, and the summary counts what passes", () => {
    expect(
      checkMonitor({ loops: [{ callId: "c", cycles: 3 }], suspendedGateways: [], failuresLastHour: 9 }).status,
    ).toBe("fail");
    expect(
      checkMonitor({ loops: [], suspendedGateways: [{ source: "192.0.2.1", gateway: "pbx" }], failuresLastHour: 9 })
        .summary,
    ).toBe("pbx is suspended for failed authentication.");
    const pass = {
      step: 5 as const,
      status: "pass" as const,
      summary: "ok",
      evidence: [],
      fix: null,
      checkedAt: "2026-11-25T10:00:00.000Z",
    };
    const text = checklistSummary(
      [null, null, null, null, pass, null, null, null],
      "admin",
      new Date("2026-11-25T10:00:00Z"),
    );
    expect(text).toContain("5. Reload: PASS");
    expect(text).toContain("1. Challenge mode: NOT CHECKED");
    expect(text).toContain("1 of 8 steps pass.");
  });
});
