import type { SecurityOverview } from "@/lib/domain/control-api";
import { digestUsernameOf } from "@/lib/domain/mapping-gateway";
import { recordAudit } from "@/lib/server/audit";
import { renderConsoleMetrics } from "@/lib/server/console-metrics";
import { db } from "@/lib/server/db";
import { engineTargets, fetchEngineMetrics, fetchSecurity, liftSuspension } from "@/lib/server/engine-client";
import type { ServiceResult } from "@/lib/server/http";
import type { Actor } from "@/lib/server/principal";

// The security monitor (issue 10): the engine's figures in this deployment's terms (usernames become
// gateways), suspensions with their reason, and the console's metrics beside the engine's.

export async function securityOverview(): Promise<
  { ok: true; value: SecurityOverview } | { ok: false; error: string }
> {
  const report = await fetchSecurity(engineTargets()[0]);
  if (!report.ok) return report;
  const usernames = [
    ...new Set([
      ...report.value.byUsername.map((u) => u.username),
      ...report.value.suspensions.flatMap((s) => (s.lastUsername ? [s.lastUsername] : [])),
    ]),
  ];
  const [mapping, routing] = await Promise.all([
    // A Password gateway without a username authenticates with its name (digestUsernameOf)
    db.mappingGateway.findMany({
      where: {
        authMode: "password",
        OR: [{ authUsername: { in: usernames } }, { authUsername: null, name: { in: usernames } }],
      },
      select: { id: true, name: true, authUsername: true },
    }),
    db.routingGateway.findMany({
      where: { authUsername: { in: usernames } },
      select: { id: true, name: true, authUsername: true },
    }),
  ]);
  const gateways: SecurityOverview["gateways"] = Object.fromEntries(usernames.map((u) => [u, null]));
  for (const g of mapping) gateways[digestUsernameOf(g)] = { id: g.id, name: g.name, kind: "mapping" };
  for (const g of routing) gateways[g.authUsername as string] ??= { id: g.id, name: g.name, kind: "routing" };
  return { ok: true, value: { ...report.value, gateways, now: Date.now() } };
}

export async function liftSourceSuspension(actor: Actor, source: string): Promise<ServiceResult<{ lifted: true }>> {
  const result = await liftSuspension(engineTargets()[0], source);
  if (!result.ok) return { ok: false, code: "rejected", message: `The engine cannot be asked: ${result.error}` };
  if (!result.value.lifted) return { ok: false, code: "not_found", message: `${source} is not suspended` };
  await recordAudit(db, actor, { action: "security.lift-suspension", entityType: "source", entityId: source });
  return { ok: true, value: { lifted: true } };
}

/** The console's metrics, then each engine's as it wrote them (their names start with sip_, auth_, calls_, engine_…). */
export async function metricsText(): Promise<string> {
  const active = await db.traceSession.count({ where: { stoppedAt: null, endsAt: { gt: new Date() } } });
  const engines = await Promise.all(engineTargets().map((t) => fetchEngineMetrics(t)));
  const up = engines.filter((e) => e.ok).length;
  const own = renderConsoleMetrics({
    console_engines_up: up,
    console_engines_configured: engines.length,
    console_trace_sessions_active: active,
  });
  return own + engines.map((e) => (e.ok ? e.value : "")).join("");
}
