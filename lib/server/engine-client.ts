import { readFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/server/env";
import {
  applySnapshotResultSchema,
  carrierStatusSchema,
  controlRoutes,
  engineStatusSchema,
  gatewayActivitySchema,
  registrationPageSchema,
  securityReportSchema,
  suspensionSchema,
  traceRecordSchema,
  type ApplySnapshotResult,
  type CarrierStatus,
  type EngineStatus,
  type GatewayActivity,
  type SecurityReport,
  type Suspension,
  type TraceRecord,
} from "@/lib/domain/control-api";
import {
  cdrPageSchema,
  liveCallSchema,
  testCallResultSchema,
  type LiveCallView,
  type TestCallResult,
} from "@/lib/domain/cdr";
import { z } from "zod";

// The console's side of the engine control API: the same route table and schemas as the engine.

export type RegistrationPage = z.infer<typeof registrationPageSchema>;
export type EngineTarget = { url: string; token: () => string };

/** ENGINE_URL engines (production), or the engine this console supervises. */
export function engineTargets(): EngineTarget[] {
  if (env.engineUrls.length > 0) {
    return env.engineUrls.map((url) => ({ url, token: () => env.ENGINE_TOKEN ?? "" }));
  }
  const tokenFile = path.join(env.dataDir, "engine", "control-token");
  return [
    {
      url: `http://127.0.0.1:${env.ENGINE_CONTROL_PORT}`,
      token: () => env.ENGINE_TOKEN ?? readFileSync(tokenFile, "utf8").trim(),
    },
  ];
}

type Reached<T> = { ok: true; value: T } | { ok: false; error: string };

async function call<T>(
  target: EngineTarget,
  route: { method: string; path: string },
  schema: z.ZodType<T>,
  init: { body?: unknown; json?: string; query?: string; timeoutMs?: number } = {},
): Promise<Reached<T>> {
  let token: string;
  try {
    token = target.token();
  } catch (error) {
    return { ok: false, error: `no control token for ${target.url} (${(error as Error).message})` };
  }
  try {
    const response = await fetch(`${target.url}${route.path}${init.query ? `?${init.query}` : ""}`, {
      method: route.method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body === undefined && init.json === undefined ? {} : { "content-type": "application/json" }),
      },
      body: init.json ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
      signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
    });
    const parsed = schema.safeParse(await response.json());
    if (!parsed.success)
      return { ok: false, error: `${target.url} answered ${response.status} with an unexpected body` };
    return { ok: true, value: parsed.data };
  } catch (error) {
    return { ok: false, error: `engine at ${target.url} unreachable: ${(error as Error).message}` };
  }
}

export function fetchEngineStatus(target: EngineTarget): Promise<Reached<EngineStatus>> {
  return call(target, controlRoutes.status, engineStatusSchema, { timeoutMs: 3000 });
}

/**
 * The engine's verdict, or a refusal saying it could not be reached. `snapshotJson`: the snapshot
 * serialised once by the caller, who stores the same text (13 MB with 30,000 gateways); or with
 * `asDelta`, its difference from the snapshot the engine runs (snapshotDeltaJson).
 */
export async function pushSnapshot(
  target: EngineTarget,
  snapshotJson: string,
  asDelta = false,
): Promise<ApplySnapshotResult> {
  const route = asDelta ? controlRoutes.applySnapshotDelta : controlRoutes.applySnapshot;
  const reached = await call(target, route, applySnapshotResultSchema, { json: snapshotJson, timeoutMs: 60_000 });
  return reached.ok ? reached.value : { ok: false, reasons: [reached.error] };
}

export async function fetchRegistrations(
  target: EngineTarget,
  query: { accountId?: string; limit?: number } = {},
): Promise<Reached<RegistrationPage>> {
  const params = new URLSearchParams(
    Object.entries(query)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
  return call(target, controlRoutes.registrations, registrationPageSchema, {
    query: params.toString(),
    timeoutMs: 5000,
  });
}

export function fetchCarrierStatus(target: EngineTarget): Promise<Reached<CarrierStatus>> {
  return call(target, controlRoutes.carriers, carrierStatusSchema, { timeoutMs: 5000 });
}

export function fetchCdrs(
  target: EngineTarget,
  after: number,
  limit: number,
): Promise<Reached<z.infer<typeof cdrPageSchema>>> {
  return call(target, controlRoutes.cdrs, cdrPageSchema, { query: `after=${after}&limit=${limit}`, timeoutMs: 30_000 });
}

export function fetchLiveCalls(target: EngineTarget): Promise<Reached<{ items: LiveCallView[] }>> {
  return call(target, controlRoutes.calls, z.object({ items: z.array(liveCallSchema) }), { timeoutMs: 5000 });
}

export function hangUpCall(target: EngineTarget, id: string): Promise<Reached<{ hungUp: boolean }>> {
  return call(target, controlRoutes.hangUp, z.object({ hungUp: z.boolean() }), {
    query: `id=${encodeURIComponent(id)}`,
    timeoutMs: 5000,
  });
}

export function runTestCall(
  target: EngineTarget,
  body: { routingGatewayId: string; number: string },
): Promise<Reached<TestCallResult>> {
  return call(target, controlRoutes.testCall, testCallResultSchema, { body, timeoutMs: 60_000 });
}

export function fetchGatewayActivity(target: EngineTarget): Promise<Reached<GatewayActivity>> {
  return call(target, controlRoutes.activity, gatewayActivitySchema, { timeoutMs: 5000 });
}

/** Trace records after `sinceSeq`, oldest first (the engine's ring keeps the most recent ones). */
export function fetchTrace(
  target: EngineTarget,
  query: { sinceSeq?: number; callId?: string; limit: number },
): Promise<Reached<{ items: TraceRecord[] }>> {
  const params = new URLSearchParams(
    Object.entries(query)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
  return call(target, controlRoutes.trace, z.object({ items: z.array(traceRecordSchema) }), {
    query: params.toString(),
    timeoutMs: 5000,
  });
}

export function fetchSuspensions(target: EngineTarget): Promise<Reached<{ items: Suspension[] }>> {
  return call(target, controlRoutes.suspensions, z.object({ items: z.array(suspensionSchema) }), { timeoutMs: 5000 });
}

export function fetchSecurity(target: EngineTarget): Promise<Reached<SecurityReport>> {
  return call(target, controlRoutes.security, securityReportSchema, { timeoutMs: 5000 });
}

export function liftSuspension(target: EngineTarget, source: string): Promise<Reached<{ lifted: boolean }>> {
  return call(target, controlRoutes.liftSuspension, z.object({ lifted: z.boolean() }), {
    query: `source=${encodeURIComponent(source)}`,
    timeoutMs: 5000,
  });
}

/** The engine's Prometheus text, as it wrote it. */
export async function fetchEngineMetrics(target: EngineTarget): Promise<Reached<string>> {
  try {
    const response = await fetch(`${target.url}${controlRoutes.metrics.path}`, {
      headers: { authorization: `Bearer ${target.token()}` },
      signal: AbortSignal.timeout(3000),
    });
    if (!response.ok) return { ok: false, error: `${target.url} answered ${response.status}` };
    return { ok: true, value: await response.text() };
  } catch (error) {
    return { ok: false, error: `engine at ${target.url} unreachable: ${(error as Error).message}` };
  }
}
