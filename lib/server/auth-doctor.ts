import { diagnose, type DoctorContext, type DoctorFinding } from "@/lib/domain/auth-doctor";
import { digestUsernameOf } from "@/lib/domain/mapping-gateway";
import { matchesTrace, type TraceFilters, type TraceMessage } from "@/lib/domain/trace";
import { getActiveSource } from "@/lib/server/config-snapshots";
import { db } from "@/lib/server/db";
import { engineTargets, fetchSuspensions, fetchTrace } from "@/lib/server/engine-client";
import { fromRecord, messagesByCallId } from "@/lib/server/traces";

// The auth doctor's server side: the running configuration and the engine's suspensions as the
// context, and the messages of a call, a gateway or an address from traces or the engine's ring.

export type Diagnosis = { findings: DoctorFinding[]; messages: number; source: "trace" | "engine" };

export async function doctorContext(): Promise<DoctorContext> {
  const [source, suspensions] = await Promise.all([getActiveSource(), fetchSuspensions(engineTargets()[0])]);
  if (!suspensions.ok) throw new Error(suspensions.error);
  return {
    realm: String(source.parameters.SS_SIP_DOMAIN),
    challengeMode: Number(source.parameters.SS_AUTHCHALLENGEMODE),
    mappingGateways: source.mappingGateways.map((g) => ({
      id: g.id,
      name: g.name,
      authMode: g.authMode,
      ipAddresses: g.ipAddresses,
      port: g.port,
      enabled: g.enabled,
      digestUsername: g.authMode === "password" ? digestUsernameOf(g) : null,
    })),
    routingGateways: source.routingGateways.map((g) => ({
      id: g.id,
      name: g.name,
      address: g.address,
      port: g.port,
      hasCredentials: Boolean(g.authUsername && g.passwordCipher),
    })),
    suspendedSources: suspensions.value.items.map((s) => s.source),
  };
}

export async function diagnoseCallId(callId: string): Promise<Diagnosis> {
  const [context, found, record] = await Promise.all([
    doctorContext(),
    messagesByCallId(callId),
    db.cdr.findFirst({ where: { callId }, orderBy: { endedAt: "desc" } }),
  ]);
  const call = record
    ? {
        callId,
        finalCode: record.finalCode,
        finalReason: record.finalReason,
        routingGatewayId: record.routingGatewayId,
      }
    : undefined;
  return {
    findings: diagnose(context, found.messages, call),
    messages: found.messages.length + (record ? 1 : 0),
    source: found.source,
  };
}

/** The recent messages (engine ring) that match, with the rest of each matched Call-ID. */
async function recentMessages(filters: TraceFilters): Promise<TraceMessage[]> {
  const ring = await fetchTrace(engineTargets()[0], { limit: 5000 });
  if (!ring.ok) throw new Error(ring.error);
  const callIds = new Set(ring.value.items.filter((r) => matchesTrace(filters, r)).map((r) => r.callId));
  return ring.value.items.filter((r) => callIds.has(r.callId)).map((r) => fromRecord(r));
}

export async function diagnoseGateway(gatewayId: string): Promise<Diagnosis | null> {
  const context = await doctorContext();
  const gateway = context.mappingGateways.find((g) => g.id === gatewayId);
  if (!gateway) return null;
  const messages = await recentMessages({
    addresses: gateway.ipAddresses,
    usernames: gateway.digestUsername ? [gateway.digestUsername] : [],
  });
  return { findings: diagnose(context, messages), messages: messages.length, source: "engine" };
}

export async function diagnoseAddress(address: string): Promise<Diagnosis> {
  const [context, messages] = await Promise.all([doctorContext(), recentMessages({ address })]);
  return { findings: diagnose(context, messages), messages: messages.length, source: "engine" };
}
