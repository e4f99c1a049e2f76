// Which SS_AUTHCHALLENGEMODE serves a network's endpoint types. The table is the product's
// field knowledge; each row gives the modes that type answers reliably and the reason.

export type ChallengeMode = 1 | 2 | 3;

export const endpointTypes = [
  {
    id: "sip-carrier",
    label: "SIP carriers / VOS3000-style interconnects",
    works: [2, 3],
    prefers: 2,
    reason:
      "Interconnect peers treat the softswitch as a proxy and expect 407 Proxy Authentication Required on INVITE; many never answer a 401 on INVITE.",
  },
  {
    id: "cisco",
    label: "Cisco (CUBE, SPA/CP phones)",
    works: [1, 2, 3],
    prefers: 3,
    reason:
      "Cisco endpoints answer 401 and 407 on every method; mode 3 matches how a registrar (401) and a proxy (407) challenge.",
  },
  {
    id: "yealink",
    label: "Yealink phones",
    works: [1, 2, 3],
    prefers: 3,
    reason: "Yealink answers both challenge kinds; mode 3 keeps REGISTER and INVITE behaviour standard.",
  },
  {
    id: "grandstream",
    label: "Grandstream phones and ATAs",
    works: [1, 2, 3],
    prefers: 3,
    reason: "Grandstream answers both challenge kinds.",
  },
  {
    id: "goip",
    label: "GoIP GSM gateways",
    works: [1, 3],
    prefers: 3,
    reason: "GoIP firmware registers only after a 401 with WWW-Authenticate; a 407 on REGISTER leaves it unregistered.",
  },
  {
    id: "softphone",
    label: "Softphones (Zoiper, X-Lite, MicroSIP)",
    works: [1, 2, 3],
    prefers: 3,
    reason: "Softphones answer both challenge kinds.",
  },
  {
    id: "ims-core",
    label: "IMS cores",
    works: [3],
    prefers: 3,
    reason:
      "3GPP TS 24.229: the registrar challenges REGISTER with 401 and proxies challenge other requests with 407; an IMS core expects exactly that split.",
  },
  {
    id: "legacy-ata",
    label: "Legacy ATAs (RFC 2543-era firmware)",
    works: [1],
    prefers: 1,
    reason: "Old ATA firmware only understands WWW-Authenticate; a 407 on any method fails the call.",
  },
] as const satisfies ReadonlyArray<{
  id: string;
  label: string;
  works: readonly ChallengeMode[];
  prefers: ChallengeMode;
  reason: string;
}>;

export type EndpointTypeId = (typeof endpointTypes)[number]["id"];

export type Recommendation = {
  mode: ChallengeMode;
  /** Every ticked type with whether the recommended mode serves it, and why. */
  rows: Array<{ id: EndpointTypeId; label: string; served: boolean; reason: string }>;
  /** Set when no single mode serves every ticked type. */
  warning?: string;
};

// Ties go to the default (2), then to the split mode (3), then to 401 everywhere (1).
const tieOrder: ChallengeMode[] = [2, 3, 1];

export function recommendChallengeMode(ticked: readonly EndpointTypeId[]): Recommendation {
  const types = endpointTypes.filter((t) => ticked.includes(t.id));
  if (types.length === 0) {
    return {
      mode: 2,
      rows: [],
      warning: "Tick the endpoint types on your network to get a recommendation; 2 (407) is the default.",
    };
  }
  const score = (mode: ChallengeMode) => {
    const served = types.filter((t) => (t.works as readonly ChallengeMode[]).includes(mode));
    return served.length * 100 + served.filter((t) => t.prefers === mode).length;
  };
  const mode = [...tieOrder].sort((a, b) => score(b) - score(a) || tieOrder.indexOf(a) - tieOrder.indexOf(b))[0];
  const rows = types.map((t) => ({
    id: t.id,
    label: t.label,
    served: (t.works as readonly ChallengeMode[]).includes(mode),
    reason: t.reason,
  }));
  const unserved = rows.filter((r) => !r.served).map((r) => r.label);
  return unserved.length > 0
    ? {
        mode,
        rows,
        warning: `No single mode serves every type: mode ${mode} does not serve ${unserved.join(", ")}. Move those devices to IP authentication or a separate softswitch.`,
      }
    : { mode, rows };
}
