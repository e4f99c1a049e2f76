import {
  checkChallengeMode,
  checkMappingCredentials,
  checkMappingModes,
  checkMonitor,
  checkOutboundCall,
  checkReload,
  checkRegistration,
  checkRoutingAuth,
  checklistAnswersSchema,
  checklistSteps,
  passwordWeakness,
  type ChecklistAnswers,
  type GatewayFacts,
  type StepId,
  type StepResult,
} from "@/lib/domain/checklist";
import { diagnose } from "@/lib/domain/auth-doctor";
import { CARRIER_AUTH_FAILED } from "@/lib/domain/cdr";
import { digestUsernameOf } from "@/lib/domain/mapping-gateway";
import { buildLadders, traceStartSchema } from "@/lib/domain/trace";
import { doctorContext } from "@/lib/server/auth-doctor";
import { getActiveMeta, getActiveParameterValue } from "@/lib/server/config-snapshots";
import { db } from "@/lib/server/db";
import {
  engineTargets,
  fetchCarrierStatus,
  fetchEngineStatus,
  fetchSecurity,
  runTestCall,
} from "@/lib/server/engine-client";
import type { ServiceResult } from "@/lib/server/http";
import { summarisePending } from "@/lib/server/pending";
import type { Actor } from "@/lib/server/principal";
import { decryptSecret } from "@/lib/server/secret-box";
import { getTrace, messagesSince, startTrace, traceMessages } from "@/lib/server/traces";

// The deployment checklist's server side: what each step reads from the live system, and each
// operator's progress (answers and last verdicts) so the wizard can be resumed and re-run.

export type ChecklistState = {
  answers: ChecklistAnswers;
  steps: Array<(typeof checklistSteps)[number] & { result: StepResult | null }>;
  passed: number;
};

type Progress = { answers: ChecklistAnswers; results: Array<StepResult | null> };
const REGISTRATION_TRACE_MINUTES = 10;

async function loadProgress(owner: string): Promise<Progress> {
  const row = await db.checklistProgress.findUnique({ where: { owner } });
  const answers = checklistAnswersSchema.parse(row ? JSON.parse(row.answers) : {});
  const results = row ? (JSON.parse(row.results) as Array<StepResult | null>) : [];
  return { answers, results: checklistSteps.map((_, i) => results[i] ?? null) };
}

async function saveProgress(owner: string, p: Progress): Promise<void> {
  const data = { answers: JSON.stringify(p.answers), results: JSON.stringify(p.results) };
  await db.checklistProgress.upsert({ where: { owner }, create: { owner, ...data }, update: data });
}

function stateOf(p: Progress): ChecklistState {
  return {
    answers: p.answers,
    steps: checklistSteps.map((s, i) => ({ ...s, result: p.results[i] })),
    passed: p.results.filter((r) => r?.status === "pass").length,
  };
}

export async function getChecklist(actor: Actor): Promise<ChecklistState> {
  return stateOf(await loadProgress(actor.actor));
}

export async function updateAnswers(actor: Actor, update: Partial<ChecklistAnswers>): Promise<ChecklistState> {
  const p = await loadProgress(actor.actor);
  // Another gateway to watch: the next check starts a new trace for it
  const registrationTraceId =
    update.registrationGatewayId !== undefined && update.registrationGatewayId !== p.answers.registrationGatewayId
      ? null
      : p.answers.registrationTraceId;
  p.answers = checklistAnswersSchema.parse({ ...p.answers, ...update, registrationTraceId });
  await saveProgress(actor.actor, p);
  return stateOf(p);
}

/** Starts over: answers kept, verdicts cleared. */
export async function resetChecklist(actor: Actor): Promise<ChecklistState> {
  const p = await loadProgress(actor.actor);
  p.results = checklistSteps.map(() => null);
  p.answers.registrationTraceId = null;
  await saveProgress(actor.actor, p);
  return stateOf(p);
}

async function savedParameter(name: string): Promise<number> {
  const row = await db.parameter.findUnique({ where: { name } });
  return row ? Number(JSON.parse(row.value)) : Number(await getActiveParameterValue(name));
}

/** `judgePasswords`: only step 3 needs each password decrypted (to judge it, here and now; only the reason is kept). */
async function mappingFacts(judgePasswords: boolean): Promise<GatewayFacts[]> {
  const rows = await db.mappingGateway.findMany({ orderBy: { name: "asc" } });
  return rows.map((g) => {
    const username = g.authMode === "password" ? digestUsernameOf(g) : null;
    const passwordProblem =
      judgePasswords && g.passwordCipher && username
        ? passwordWeakness(decryptSecret(g.passwordCipher), username)
        : null;
    return {
      id: g.id,
      name: g.name,
      enabled: g.enabled,
      authMode: g.authMode,
      ipAddresses: JSON.parse(g.ipAddresses) as string[],
      username,
      passwordProblem,
      hasPassword: g.passwordCipher !== null,
    };
  });
}

async function carrierFacts(results: Array<StepResult | null>, answers: ChecklistAnswers) {
  const [rows, status, failedCalls] = await Promise.all([
    db.routingGateway.findMany({ orderBy: { name: "asc" } }),
    fetchCarrierStatus(engineTargets()[0]),
    db.cdr.findMany({
      where: { finalReason: CARRIER_AUTH_FAILED, startedAt: { gt: new Date(Date.now() - 86_400_000) } },
      select: { routingGatewayId: true, startedAt: true },
      orderBy: { startedAt: "desc" },
    }),
  ]);
  const lastTest = results[6];
  return rows.map((g) => {
    const probe = status.ok ? status.value.health.find((h) => h.gatewayId === g.id) : undefined;
    const failedCall = failedCalls.find((c) => c.routingGatewayId === g.id);
    const testedHere =
      lastTest && answers.carrierId === g.id && lastTest.status === "fail" && /challenged/.test(lastTest.summary);
    const challengedUs = testedHere
      ? "it challenged the checklist's test call"
      : failedCall
        ? `a call failed with "${CARRIER_AUTH_FAILED}" at ${failedCall.startedAt.toISOString()}`
        : probe && (probe.lastCode === 401 || probe.lastCode === 407)
          ? `it answered our OPTIONS probe with ${probe.lastCode}`
          : null;
    return {
      id: g.id,
      name: g.name,
      enabled: g.enabled,
      kind: g.kind,
      hasCredentials: Boolean(g.authUsername && g.passwordCipher),
      challengedUs,
    };
  });
}

async function checkRegistrationStep(actor: Actor, p: Progress): Promise<Omit<StepResult, "step" | "checkedAt">> {
  const id = p.answers.registrationGatewayId;
  const gateway = id ? await db.mappingGateway.findUnique({ where: { id } }) : null;
  if (!gateway)
    return {
      status: "fail",
      summary: "Choose the Password gateway whose device will register.",
      evidence: [],
      fix: null,
    };
  if (gateway.authMode !== "password")
    return {
      status: "fail",
      summary: `${gateway.name} is identified by address; choose a Password gateway to test digest registration.`,
      evidence: [],
      fix: null,
    };
  let trace = p.answers.registrationTraceId ? await getTrace(p.answers.registrationTraceId) : null;
  // A re-run after the trace ended watches afresh
  if (!trace?.active) {
    const started = await startTrace(
      actor,
      traceStartSchema.parse({ minutes: REGISTRATION_TRACE_MINUTES, mappingGatewayId: gateway.id }),
    );
    if (!started.ok)
      return {
        status: "fail",
        summary: started.message,
        evidence: [],
        fix: { label: "Open the dashboard", href: "/dashboard" },
      };
    trace = started.value;
    p.answers.registrationTraceId = trace.id;
  }
  const messages = await traceMessages(trace!.id);
  const verdict = checkRegistration(messages, diagnose(await doctorContext(), messages), gateway.name);
  return {
    ...verdict,
    evidence: [`Trace ${trace!.id} (${trace!.description})`, ...verdict.evidence],
    fix: verdict.fix ?? (verdict.status === "pass" ? null : { label: "Open the trace", href: `/traces/${trace!.id}` }),
    messages: messages.map((m) => ({ direction: m.direction, at: m.at, text: m.text })),
  };
}

async function checkOutboundStep(p: Progress): Promise<Omit<StepResult, "step" | "checkedAt">> {
  const { carrierId, number } = p.answers;
  const carrier = carrierId ? await db.routingGateway.findUnique({ where: { id: carrierId } }) : null;
  if (!carrier || !number)
    return {
      status: "fail",
      summary: "Choose a routing gateway and type a number it accepts.",
      evidence: [],
      fix: null,
    };
  const test = await runTestCall(engineTargets()[0], { routingGatewayId: carrier.id, number });
  if (!test.ok)
    return {
      status: "fail",
      summary: `The engine cannot place the test call: ${test.error}`,
      evidence: [],
      fix: { label: "Open the dashboard", href: "/dashboard" },
    };
  const t = test.value;
  const verdict = checkOutboundCall({
    ok: t.ok,
    challenged: t.invite.challenged,
    code: t.invite.code,
    reason: t.invite.reason,
    summary: t.summary,
    carrierId: carrier.id,
    carrierName: carrier.name,
    hasCredentials: Boolean(carrier.authUsername && carrier.passwordCipher),
  });
  return { ...verdict, messages: t.messages };
}

async function checkMonitorStep() {
  const since = new Date(Date.now() - 3_600_000);
  const [messages, security, mapping, routing] = await Promise.all([
    messagesSince(since, 20_000),
    fetchSecurity(engineTargets()[0]),
    db.mappingGateway.findMany({ select: { name: true, authMode: true, authUsername: true, ipAddresses: true } }),
    db.routingGateway.findMany({ select: { name: true, address: true } }),
  ]);
  if (!security.ok)
    return {
      status: "fail" as const,
      summary: `The engine cannot be asked: ${security.error}`,
      evidence: [],
      fix: null,
    };
  const ladders = buildLadders(messages);
  const loops = ladders
    .filter((l) => l.authLoop)
    .map((l) => ({ callId: l.callId, cycles: Math.min(l.challenges, l.retries) }));
  const gatewayOf = (source: string, username: string | null) =>
    mapping.find((g) => (JSON.parse(g.ipAddresses) as string[]).includes(source))?.name ??
    routing.find((g) => g.address === source)?.name ??
    mapping.find((g) => g.authMode === "password" && username !== null && digestUsernameOf(g) === username)?.name;
  const suspendedGateways = security.value.suspensions.flatMap((s) => {
    const name = gatewayOf(s.source, s.lastUsername);
    return name ? [{ source: s.source, gateway: name }] : [];
  });
  const failuresLastHour = security.value.perMinute.reduce((n, m) => n + m.failures, 0);
  return checkMonitor({ loops, suspendedGateways, failuresLastHour });
}

/** Runs one step's check against the live system and keeps its verdict. */
export async function runStep(actor: Actor, step: StepId): Promise<ServiceResult<StepResult>> {
  const p = await loadProgress(actor.actor);
  let verdict: Omit<StepResult, "step" | "checkedAt">;
  switch (step) {
    case 1:
      verdict = checkChallengeMode(
        p.answers.endpointTypes,
        await savedParameter("SS_AUTHCHALLENGEMODE"),
        Number(await getActiveParameterValue("SS_AUTHCHALLENGEMODE")),
      );
      break;
    case 2:
      verdict = checkMappingModes(await mappingFacts(false));
      break;
    case 3:
      verdict = checkMappingCredentials(await mappingFacts(true));
      break;
    case 4:
      verdict = checkRoutingAuth(await carrierFacts(p.results, p.answers));
      break;
    case 5: {
      const [pending, status, meta] = await Promise.all([
        summarisePending(),
        fetchEngineStatus(engineTargets()[0]),
        getActiveMeta(),
      ]);
      verdict = checkReload(pending.count, status.ok ? status.value.version : null, meta.version);
      break;
    }
    case 6:
      verdict = await checkRegistrationStep(actor, p);
      break;
    case 7:
      verdict = await checkOutboundStep(p);
      break;
    case 8:
      verdict = await checkMonitorStep();
      break;
  }
  const result: StepResult = { step, checkedAt: new Date().toISOString(), ...verdict };
  p.results[step - 1] = result;
  await saveProgress(actor.actor, p);
  return { ok: true, value: result };
}
