import { z } from "zod";
import {
  endpointTypes,
  recommendChallengeMode,
  type ChallengeMode,
  type EndpointTypeId,
} from "@/lib/domain/challenge-mode-recommender";
import type { DoctorFinding } from "@/lib/domain/auth-doctor";
import { buildLadders, type Ladder, type TraceMessage } from "@/lib/domain/trace";

// The deployment checklist (issue 11): eight steps, each checked against the live softswitch.
// The checks here are pure: lib/server/checklist.ts gathers what each one reads.

export const checklistSteps = [
  {
    id: 1,
    title: "Challenge mode",
    description: "Which endpoint types the network has, and whether SS_AUTHCHALLENGEMODE serves them all.",
  },
  {
    id: 2,
    title: "Mapping gateway authentication mode",
    description: "Password for endpoints on the internet; IP or IP+Port only for trusted addresses.",
  },
  {
    id: 3,
    title: "Mapping gateway credentials",
    description: "Every Password gateway has a username and a password that is not weak or a default.",
  },
  {
    id: 4,
    title: "Routing gateway authentication",
    description: "Every carrier that challenges the softswitch, registers to it or is registered to has credentials.",
  },
  { id: 5, title: "Reload", description: "Nothing pending: the engine runs the latest version." },
  {
    id: 6,
    title: "Test registration with trace",
    description:
      "A real device registers as the chosen Password gateway: REGISTER → 401/407 → REGISTER with credentials → 200.",
  },
  {
    id: 7,
    title: "Test outbound call authentication",
    description:
      "The engine places a test call through the chosen carrier and answers its challenge: INVITE → 401/407 → INVITE with credentials → 200.",
  },
  {
    id: 8,
    title: "Monitor for authentication loops",
    description: "No authentication loop in the last hour's traces and no configured gateway suspended.",
  },
] as const;

export type StepId = (typeof checklistSteps)[number]["id"];
export type StepStatus = "pass" | "warn" | "fail" | "waiting";
export type Fix = { label: string; href: string };

export type StepResult = {
  step: StepId;
  status: StepStatus;
  summary: string;
  evidence: string[];
  fix: Fix | null;
  checkedAt: string;
  /** Steps 6 and 7: the messages the verdict was read from. */
  messages?: Array<{ direction: "in" | "out"; at: string; text: string }>;
};

const answerFields = {
  endpointTypes: z
    .array(
      z.enum(endpointTypes.map((t) => t.id) as [EndpointTypeId, ...EndpointTypeId[]], {
        error: (i) => `Unknown endpoint type ${JSON.stringify(i.input)}`,
      }),
    )
    .max(20),
  registrationGatewayId: z.string().min(1).max(100).nullable(),
  carrierId: z.string().min(1).max(100).nullable(),
  number: z
    .string()
    .trim()
    .regex(/^\+?[0-9]{1,32}$/, "The test number has digits only, with an optional leading +")
    .nullable(),
};

export const checklistAnswersSchema = z.object({
  endpointTypes: answerFields.endpointTypes.default([]),
  registrationGatewayId: answerFields.registrationGatewayId.default(null),
  carrierId: answerFields.carrierId.default(null),
  number: answerFields.number.default(null),
  /** The trace watching step 6, set when the wizard starts waiting for the device. */
  registrationTraceId: z.string().nullable().default(null),
});
export type ChecklistAnswers = z.infer<typeof checklistAnswersSchema>;
/** A PATCH: only the answers sent change (no defaults here, or a missing one would be reset); unknown keys refused. */
export const checklistAnswersUpdateSchema = z.strictObject(answerFields).partial();

type Verdict = Omit<StepResult, "step" | "checkedAt">;
const verdict = (status: StepStatus, summary: string, evidence: string[] = [], fix: Fix | null = null): Verdict => ({
  status,
  summary,
  evidence,
  fix,
});
const EVIDENCE_LINES = 20;
/** Evidence stays readable with ten thousand gateways. */
const capped = (lines: string[]) =>
  lines.length <= EVIDENCE_LINES
    ? lines
    : [...lines.slice(0, EVIDENCE_LINES), `… and ${lines.length - EVIDENCE_LINES} more`];
const PARAMETERS = (name: string): Fix => ({ label: `Open ${name}`, href: `/parameters?search=${name}` });

/** Step 1: the saved mode must serve every endpoint type ticked. */
export function checkChallengeMode(ticked: EndpointTypeId[], saved: number, running: number): Verdict {
  if (ticked.length === 0) return verdict("fail", "Tick the endpoint types your network has, then check again.");
  const recommendation = recommendChallengeMode(ticked);
  const types = endpointTypes.filter((t) => ticked.includes(t.id));
  const unserved = types.filter((t) => !(t.works as readonly ChallengeMode[]).includes(saved as ChallengeMode));
  const evidence = [
    `SS_AUTHCHALLENGEMODE is ${saved}${saved !== running ? ` (saved; the engine still runs ${running} until a reload)` : ""}; recommended: ${recommendation.mode}.`,
    ...types.map((t) => `${t.label}: ${t.reason}`),
  ];
  if (unserved.length > 0) {
    return verdict(
      "fail",
      `Mode ${saved} does not serve ${unserved.map((t) => t.label).join(", ")}: set ${recommendation.mode}.`,
      evidence,
      { label: `Set SS_AUTHCHALLENGEMODE to ${recommendation.mode}`, href: "/parameters?search=SS_AUTHCHALLENGEMODE" },
    );
  }
  if (recommendation.warning)
    return verdict("warn", recommendation.warning, evidence, PARAMETERS("SS_AUTHCHALLENGEMODE"));
  return verdict("pass", `Mode ${saved} serves every endpoint type ticked.`, evidence);
}

export type GatewayFacts = {
  id: string;
  name: string;
  enabled: boolean;
  authMode: string;
  ipAddresses: string[];
  username: string | null;
  passwordProblem: string | null;
  hasPassword: boolean;
};

/** Not on the internet: RFC 1918, loopback, link-local, CGNAT (RFC 6598), and IPv6 ULA/loopback/link-local. */
export function isPrivateAddress(address: string): boolean {
  if (address.includes(":")) return address === "::1" || /^f[cd]/i.test(address) || /^fe[89ab]/i.test(address);
  const [a, b] = address.split(".").map(Number);
  return (
    a === 10 ||
    a === 127 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

/** Step 2: at least one gateway; address-only gateways on public addresses are flagged. */
export function checkMappingModes(gateways: GatewayFacts[]): Verdict {
  const enabled = gateways.filter((g) => g.enabled);
  if (enabled.length === 0)
    return verdict("fail", "No enabled mapping gateway: no phone or PBX can register or call.", [], {
      label: "Add a mapping gateway",
      href: "/mapping-gateways/new",
    });
  const exposed = enabled.filter((g) => g.authMode !== "password" && g.ipAddresses.some((a) => !isPrivateAddress(a)));
  const evidence = capped(
    enabled.map(
      (g) =>
        `${g.name}: ${g.authMode === "password" ? "Password" : g.authMode === "ip-port" ? "IP+Port" : "IP"}${g.ipAddresses.length ? ` (${g.ipAddresses.join(", ")})` : ""}`,
    ),
  );
  if (exposed.length > 0) {
    return verdict(
      "warn",
      `${exposed.map((g) => g.name).join(", ")} trust${exposed.length === 1 ? "s" : ""} a public address without a password: anyone who can send from it can call. Use Password mode unless the address is a carrier's or your own fixed line.`,
      evidence,
      { label: `Review ${exposed[0].name}`, href: `/mapping-gateways/${exposed[0].id}` },
    );
  }
  return verdict(
    "pass",
    "Endpoints on the internet authenticate with a password; address-only gateways are on private addresses.",
    evidence,
  );
}

const DEFAULT_PASSWORDS = new Set([
  "1234",
  "12345",
  "123456",
  "1234567",
  "12345678",
  "123456789",
  "0000",
  "00000000",
  "1111",
  "password",
  "passw0rd",
  "admin",
  "secret",
  "changeme",
  "default",
  "voip",
  "sip",
]);

/** Why a password is weak, or null. Checked when the wizard runs, never stored. */
export function passwordWeakness(password: string, username: string): string | null {
  if (DEFAULT_PASSWORDS.has(password.toLowerCase())) return "a well-known default password";
  if (password.length < 8) return `only ${password.length} characters (at least 8)`;
  if (password.toLowerCase().includes(username.toLowerCase())) return "it contains the username";
  if (/^\d+$/.test(password)) return "digits only";
  if (new Set(password).size <= 2) return "the same character repeated";
  return null;
}

/** Step 3: every Password gateway has a username and a strong password. */
export function checkMappingCredentials(gateways: GatewayFacts[]): Verdict {
  const password = gateways.filter((g) => g.enabled && g.authMode === "password");
  if (password.length === 0) return verdict("pass", "No Password gateway: nothing to check.", [], null);
  const problems = password.flatMap((g) =>
    !g.hasPassword
      ? [{ g, why: "has no password" }]
      : g.passwordProblem
        ? [{ g, why: `has a weak password: ${g.passwordProblem}` }]
        : [],
  );
  const evidence = capped(
    password.map(
      (g) =>
        `${g.name}: username ${g.username}, ${!g.hasPassword ? "no password" : g.passwordProblem ? `weak password (${g.passwordProblem})` : "strong password"}`,
    ),
  );
  if (problems.length > 0) {
    const first = problems[0];
    return verdict("fail", problems.map((p) => `${p.g.name} ${p.why}`).join("; ") + ".", evidence, {
      label: `Set a strong password on ${first.g.name}`,
      href: `/mapping-gateways/${first.g.id}`,
    });
  }
  return verdict("pass", `All ${password.length} Password gateways have a username and a strong password.`, evidence);
}

export type CarrierFacts = {
  id: string;
  name: string;
  enabled: boolean;
  kind: string;
  hasCredentials: boolean;
  challengedUs: string | null;
};

/** Step 4: credentials where the kind needs them, and wherever a carrier was seen challenging. */
export function checkRoutingAuth(carriers: CarrierFacts[]): Verdict {
  const enabled = carriers.filter((c) => c.enabled);
  if (enabled.length === 0)
    return verdict("fail", "No enabled routing gateway: calls have nowhere to go.", [], {
      label: "Add a routing gateway",
      href: "/routing-gateways/new",
    });
  const missing = enabled.filter((c) => !c.hasCredentials && (c.kind !== "static" || c.challengedUs !== null));
  const evidence = capped(
    enabled.map(
      (c) =>
        `${c.name} (${c.kind}): ${c.hasCredentials ? "credentials set" : "no credentials"}${c.challengedUs ? `; ${c.challengedUs}` : ""}`,
    ),
  );
  if (missing.length > 0) {
    const why = (c: CarrierFacts) =>
      c.kind === "static"
        ? c.challengedUs
        : c.kind === "dynamic"
          ? "it registers to us with a digest account"
          : "we register to it";
    return verdict("fail", missing.map((c) => `${c.name} needs credentials: ${why(c)}`).join("; ") + ".", evidence, {
      label: `Set the credentials of ${missing[0].name}`,
      href: `/routing-gateways/${missing[0].id}`,
    });
  }
  const unknown = enabled.filter((c) => c.kind === "static" && !c.hasCredentials);
  if (unknown.length > 0)
    return verdict(
      "warn",
      `${unknown.map((c) => c.name).join(", ")} ha${unknown.length === 1 ? "s" : "ve"} no credentials; fine if the carrier does not challenge (step 7 proves it).`,
      evidence,
    );
  return verdict("pass", "Every carrier has credentials for its challenges.", evidence);
}

/** Step 5. */
export function checkReload(pending: number, engineVersion: number | null, latestVersion: number): Verdict {
  if (engineVersion === null)
    return verdict("fail", "The engine does not answer: nothing can be verified on it.", [], {
      label: "Open the dashboard",
      href: "/dashboard",
    });
  const evidence = [
    `Pending changes: ${pending}`,
    `Engine runs version ${engineVersion}, latest applied is ${latestVersion}`,
  ];
  if (pending > 0)
    return verdict("fail", `${pending} saved change${pending === 1 ? " is" : "s are"} not running yet.`, evidence, {
      label: "Review and reload",
      href: "/reload",
    });
  if (engineVersion !== latestVersion)
    return verdict("fail", `The engine runs version ${engineVersion}, not the latest (${latestVersion}).`, evidence, {
      label: "Reload",
      href: "/reload",
    });
  return verdict("pass", `The engine runs version ${engineVersion}, with nothing pending.`, evidence);
}

const arrowsOf = (ladder: Ladder) =>
  ladder.arrows.map((a) => `${a.from} → ${a.to}: ${a.label}${a.credentials ? " (with credentials)" : ""}`);

/** Step 6: the device's REGISTER ladder, as watched by the step's trace. */
export function checkRegistration(messages: TraceMessage[], findings: DoctorFinding[], gatewayName: string): Verdict {
  const ladders = buildLadders(messages.filter((m) => (m.method ?? m.cseqMethod) === "REGISTER"));
  const good = ladders.find(
    (l) =>
      l.arrows.some((a) => a.challenge) &&
      l.arrows.some((a) => a.credentials) &&
      l.arrows.some((a) => a.message.status === 200),
  );
  if (good)
    return verdict(
      "pass",
      `${gatewayName} registered: challenged, answered with credentials, accepted.`,
      arrowsOf(good),
    );
  if (ladders.length === 0)
    return verdict(
      "waiting",
      `Waiting for ${gatewayName} to register: power-cycle the device or make it re-register, then check again.`,
    );
  const last = ladders[ladders.length - 1];
  const evidence = [...arrowsOf(last), ...findings.map((f) => `${f.title}: ${f.explanation}`)];
  const finding = findings[0];
  return verdict(
    "fail",
    finding ? finding.title : `${gatewayName} tried to register and did not get 200.`,
    evidence,
    finding?.fix ?? { label: "Open the trace", href: "/traces" },
  );
}

export type TestCallFacts = {
  ok: boolean;
  challenged: boolean;
  code: number | null;
  reason: string;
  summary: string;
  carrierId: string;
  carrierName: string;
  hasCredentials: boolean;
};

/** Step 7: the engine's test call through the carrier. */
export function checkOutboundCall(facts: TestCallFacts): Verdict {
  // The engine marks `challenged` when it answered a challenge; a 401/407 final answer is one it could not answer
  const t = { ...facts, challenged: facts.challenged || facts.code === 401 || facts.code === 407 };
  const evidence = [t.summary];
  const fix = { label: `Open ${t.carrierName}`, href: `/routing-gateways/${t.carrierId}` };
  if (t.ok && t.challenged)
    return verdict(
      "pass",
      `${t.carrierName} challenged the test INVITE and accepted our credentials (${t.code} ${t.reason}).`,
      evidence,
    );
  if (t.ok)
    return verdict(
      "warn",
      `${t.carrierName} answered ${t.code} without challenging: it trusts our address, so credentials are not tested.`,
      evidence,
    );
  if (t.challenged && !t.hasCredentials)
    return verdict(
      "fail",
      `${t.carrierName} challenged the test INVITE and has no credentials to answer with.`,
      evidence,
      { ...fix, label: `Set the credentials of ${t.carrierName}` },
    );
  if (t.challenged)
    return verdict(
      "fail",
      `${t.carrierName} refused our credentials: check the username, password and realm it expects.`,
      evidence,
      fix,
    );
  return verdict("fail", `The test call failed: ${t.code ?? "no answer"} ${t.reason}.`, evidence, fix);
}

export type MonitorFacts = {
  loops: Array<{ callId: string; cycles: number }>;
  suspendedGateways: Array<{ source: string; gateway: string }>;
  failuresLastHour: number;
};

/** Step 8. */
export function checkMonitor(m: MonitorFacts): Verdict {
  const evidence = [
    `Authentication failures in the last hour: ${m.failuresLastHour}`,
    ...m.loops.map((l) => `Loop: ${l.callId} (${l.cycles} challenge/retry cycles)`),
    ...m.suspendedGateways.map((s) => `Suspended: ${s.source} (${s.gateway})`),
  ];
  if (m.suspendedGateways.length > 0)
    return verdict(
      "fail",
      `${m.suspendedGateways.map((s) => s.gateway).join(", ")} ${m.suspendedGateways.length === 1 ? "is" : "are"} suspended for failed authentication.`,
      evidence,
      { label: "Open the security monitor", href: "/security" },
    );
  if (m.loops.length > 0)
    return verdict(
      "fail",
      `${m.loops.length} authentication loop${m.loops.length === 1 ? "" : "s"} in the last hour's traces.`,
      evidence,
      { label: "Open the traces", href: "/traces" },
    );
  return verdict("pass", "No authentication loop and no configured gateway suspended.", evidence);
}

/** Printable summary. */
export function checklistSummary(results: Array<StepResult | null>, by: string, at: Date): string {
  const lines = [`Softswitch deployment checklist — ${by}, ${at.toISOString()}`, ""];
  checklistSteps.forEach((s, i) => {
    const r = results[i];
    lines.push(`${s.id}. ${s.title}: ${r ? r.status.toUpperCase() : "NOT CHECKED"}${r ? ` (${r.checkedAt})` : ""}`);
    if (r) lines.push(`   ${r.summary}`, ...r.evidence.map((e) => `   - ${e}`));
    if (r?.fix) lines.push(`   Fix: ${r.fix.label} (${r.fix.href})`);
  });
  const passed = results.filter((r) => r?.status === "pass").length;
  lines.push("", `${passed} of ${checklistSteps.length} steps pass.`);
  return `${lines.join("\n")}\n`;
}
