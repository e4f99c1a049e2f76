import { diffConfig } from "@/lib/domain/config-source";
import {
  compareSimulations,
  type SimulateRequest,
  type SimulationResponse,
  type SimulationResult,
} from "@/lib/domain/route-simulation";
import type { ConfigSnapshot } from "@/lib/domain/config-snapshot";
import { sourceAddress } from "@/lib/engine/auth/source-address";
import { dryRun, idleEngine, type LiveState } from "@/lib/engine/core/dry-run";
import { byPreference } from "@/lib/engine/registrar/binding-store";
import type { Remote } from "@/lib/engine/transport/remote";
import { getActiveMeta, getActiveSource } from "@/lib/server/config-snapshots";
import { buildEngineSnapshot, loadCurrentSource, notRevealed } from "@/lib/server/config-source";
import { engineTargets, fetchLiveCalls, fetchRegistrations, fetchSuspensions } from "@/lib/server/engine-client";
import type { ServiceResult } from "@/lib/server/http";

// The route and auth simulator (issue 11): one request through the engine's own decisions
// (lib/engine/core/dry-run.ts), under the running snapshot and under the one a reload would push.
// Snapshots are built from the console's source view with passwords never decrypted: whether a
// gateway has one is all the simulation needs, and nothing secret can reach the answer.

type Live = { state: LiveState; read: boolean; text: string };

/** Calls in progress, dynamic gateways' registered contacts and suspended sources, from the engine. */
async function readLiveState(dynamicIds: string[]): Promise<Live> {
  const target = engineTargets()[0];
  const [calls, suspensions, ...registrations] = await Promise.all([
    fetchLiveCalls(target),
    fetchSuspensions(target),
    ...dynamicIds.map((accountId) => fetchRegistrations(target, { accountId, limit: 50 })),
  ]);
  const failed = [calls, suspensions, ...registrations].find((r) => !r.ok);
  if (failed && !failed.ok) {
    return {
      state: idleEngine,
      read: false,
      text: `The engine could not be asked (${failed.error}), so the simulation assumes no call in progress, no registered dynamic gateway and no suspended source.`,
    };
  }
  if (!calls.ok || !suspensions.ok) throw new Error("unreachable: checked above");
  const live = new Map<string, number>();
  const hold = (id: string) => live.set(id, (live.get(id) ?? 0) + 1);
  for (const c of calls.value.items) {
    hold(c.mappingGatewayId);
    if (c.routingGatewayId) hold(c.routingGatewayId);
  }
  const contacts = new Map<string, Remote>();
  for (const page of registrations) {
    if (!page.ok) continue;
    // As the engine does (engine.ts contactOf): the most preferred binding that has not expired
    const binding = [...page.value.bindings].sort(byPreference).find((b) => !b.expired);
    if (binding)
      contacts.set(binding.accountId, {
        transport: binding.source.transport,
        address: binding.source.address,
        port: binding.source.port,
      });
  }
  const suspended = new Set(suspensions.value.items.map((s) => sourceAddress(s.source)));
  return {
    state: {
      liveCalls: (id) => live.get(id) ?? 0,
      contactOf: (id) => contacts.get(id) ?? null,
      isSuspended: (address) => suspended.has(address),
    },
    read: true,
    text: `Live state from the engine: ${calls.value.items.length} call(s) in progress, ${contacts.size} of ${dynamicIds.length} dynamic routing gateway(s) registered, ${suspended.size} suspended source(s).`,
  };
}

const dynamicGatewayIds = (snapshots: ConfigSnapshot[]) => [
  ...new Set(snapshots.flatMap((s) => s.routingGateways.filter((g) => g.kind === "dynamic").map((g) => g.id))),
];

/** The request under the running configuration and under the pending one, and what differs. */
export async function simulateRoute(request: SimulateRequest): Promise<ServiceResult<SimulationResponse>> {
  const [meta, active, current] = await Promise.all([getActiveMeta(), getActiveSource(), loadCurrentSource()]);
  const running = buildEngineSnapshot(active, meta.version, new Date(meta.createdAt), notRevealed);
  const pending = buildEngineSnapshot(current, meta.version + 1, new Date(), notRevealed);
  const changes = diffConfig(active, current).length;
  const live = await readLiveState(dynamicGatewayIds([running, pending]));

  const runningResult: SimulationResult = {
    config: {
      which: "running",
      version: meta.version,
      text: `Running: version ${meta.version}, the snapshot the engine accepted at the last reload.`,
    },
    ...dryRun(running, request, live.state),
  };
  const pendingResult: SimulationResult = {
    config: {
      which: "pending",
      version: null,
      text:
        changes === 0
          ? "Pending: the same as running (no saved change waits for a reload)."
          : `Pending: running plus ${changes} saved change(s), as the next reload would push them.`,
    },
    ...dryRun(pending, request, live.state),
  };
  return {
    ok: true,
    value: {
      request: { ...request, digestUsername: request.digestUsername ?? null },
      running: runningResult,
      pending: pendingResult,
      differences: compareSimulations(runningResult, pendingResult),
      pendingChanges: changes,
      live: { read: live.read, text: live.text },
    },
  };
}
