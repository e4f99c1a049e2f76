import type { ApplySnapshotResult, EngineStatus, TraceQuery } from "@/lib/domain/control-api";
import type { ConfigSnapshot } from "@/lib/domain/config-snapshot";
import { systemClock, type Clock } from "@/lib/engine/clock";
import type { EngineConfig } from "@/lib/engine/config";
import { startControlServer } from "@/lib/engine/control/control-server";
import { loadControlToken } from "@/lib/engine/control/control-token";
import { answerRequest } from "@/lib/engine/core/core-answer";
import { Counters } from "@/lib/engine/metrics";
import { versionZeroSnapshot } from "@/lib/engine/runtime-state";
import { AccessControl } from "@/lib/engine/core/access-control";
import { createRequestHandler } from "@/lib/engine/core/request-handler";
import { buildRuntime, type Runtime } from "@/lib/engine/core/runtime";
import { B2bua } from "@/lib/engine/routing/b2bua";
import { DialogJournal, readDialogJournal } from "@/lib/engine/routing/dialog-journal";
import { runTestCall } from "@/lib/engine/routing/test-call";
import { CdrJournal } from "@/lib/engine/cdr/cdr-journal";
import { IllegalCallRecorder } from "@/lib/engine/cdr/illegal-calls";
import type { CdrSink } from "@/lib/engine/cdr/call-record";
import { advertisedHost } from "@/lib/engine/routing/local-address";
import { CarrierHealthProbe } from "@/lib/engine/routing/carrier-health";
import { OutboundRegistrations } from "@/lib/engine/routing/register-out";
import { NonceService } from "@/lib/engine/auth/nonces";
import { Registrar } from "@/lib/engine/registrar/binding-store";
import { BindingJournal, loadBindingJournal } from "@/lib/engine/registrar/binding-persistence";
import { loadOrCreateSecret } from "@/lib/engine/secret-file";
import { checkSnapshot, checkSnapshotDelta, primeSnapshotCache } from "@/lib/engine/snapshot-check";
import { loadActiveSnapshot, saveActiveSnapshot } from "@/lib/engine/snapshot-store";
import { buildResponse } from "@/lib/engine/sip/response";
import { classifyRequest } from "@/lib/engine/sip/classify";
import { getCallId } from "@/lib/engine/sip/accessors";
import type { ParseResult } from "@/lib/engine/sip/framing";
import type { HeaderInit, SipMessage, SipRequest } from "@/lib/engine/sip/message";
import { parseDatagram } from "@/lib/engine/sip/parser";
import { serializeMessage } from "@/lib/engine/sip/serializer";
import { TraceRing } from "@/lib/engine/trace/trace-ring";
import { SecurityStats } from "@/lib/engine/auth/security-stats";
import { wireMetaOf } from "@/lib/engine/trace/wire-meta";
import { createTransactionLayer } from "@/lib/engine/transaction/transaction-layer";
import type { ServerTransaction } from "@/lib/engine/transaction/server-transaction";
import type { Remote } from "@/lib/engine/transport/remote";
import { startTcp, type TcpEvents, type TcpTransport } from "@/lib/engine/transport/tcp-transport";
import { startUdp, type UdpTransport } from "@/lib/engine/transport/udp-transport";
import { stampTopVia } from "@/lib/engine/transport/via-stamp";

// Composition root: wires transports → parser → transactions → core by hand (DESIGN.md).

export type Engine = {
  status(): EngineStatus;
  applySnapshot(body: unknown, options?: ApplyOptions): ApplySnapshotResult;
  sipPort(): number;
  controlPort(): number;
  stop(): Promise<void>;
};

export type EngineLog = (line: string) => void;

/**
 * `delta`: the body is a snapshotDeltaSchema, not a whole snapshot. `receivedAt`: the
 * performance.now() at which the control API had the body, so that the time reported includes
 * parsing it.
 */
export type ApplyOptions = { delta?: boolean; receivedAt?: number };

/** Opens the SIP transports and hands what arrives to the engine: real sockets, or a test's fake. */
export type BindSipTransports = (
  config: EngineConfig,
  onDatagram: Parameters<typeof startUdp>[2],
  onUdpError: Parameters<typeof startUdp>[3],
  tcpEvents: TcpEvents,
) => Promise<{ udp: UdpTransport; tcp: TcpTransport }>;

export async function startEngine(
  config: EngineConfig,
  options: { clock?: Clock; log?: EngineLog; bindTransports?: BindSipTransports } = {},
): Promise<Engine> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? ((line: string) => console.log(line));
  const startedAt = clock.now();
  const counters = new Counters();
  const trace = new TraceRing(config.traceCapacity);

  const stored = loadActiveSnapshot(config.dataDir);
  if (stored && !stored.ok) log(`engine: ignoring stored snapshot: ${stored.reason}`);
  let active: ConfigSnapshot = stored?.ok ? stored.snapshot : versionZeroSnapshot();
  let appliedAt: string | null = stored?.ok ? stored.appliedAt : null;
  if (stored?.ok && !primeSnapshotCache(active))
    log(
      "engine: the stored snapshot does not match its hash (altered, or stored before settings added since; those run at their defaults); it runs",
    );
  log(`engine: running configuration version ${active.version} (${active.hash.slice(0, 12)})`);
  let runtime = buildRuntime(active);

  const registrar = new Registrar({ clock });
  const loaded = loadBindingJournal(config.dataDir, registrar, clock.now());
  if (!loaded.ok) log(`engine: registrations not restored: ${loaded.reason}`);
  registrar.retainAccounts(runtime.accountIds);
  const bindingJournal = new BindingJournal({ dataDir: config.dataDir, store: registrar, clock, log });
  const nonces = new NonceService(clock, {
    secret: Buffer.from(loadOrCreateSecret(config.dataDir, "nonce-secret"), "hex"),
  });
  const security = new SecurityStats(clock);
  const access = AccessControl.create(clock, nonces, {
    onAuthFailure(line, failure) {
      counters.inc("auth_failures_total");
      security.failure(failure.address, failure.username);
      log(line);
    },
    onChallenge: () => security.challenge(),
    onDigestAccepted: () => security.answered(),
    onSuspended(address) {
      counters.inc("auth_suspensions_total");
      log(`auth-suspended source=${address}`);
    },
  });
  const neverSuspend = (r: Runtime) => access.guard.setNeverSuspend(r.neverSuspended.map((a) => a.address));
  neverSuspend(runtime);
  // Last request from each identified gateway: one small object per gateway, overwritten in place.
  const lastSeen = new Map<string, { lastSeenAt: number; address: string; port: number; transport: "udp" | "tcp" }>();
  const onSeen = (gatewayId: string, from: Remote) => {
    const seen = lastSeen.get(gatewayId);
    if (seen)
      Object.assign(seen, {
        lastSeenAt: clock.now(),
        address: from.address,
        port: from.port,
        transport: from.transport,
      });
    else
      lastSeen.set(gatewayId, {
        lastSeenAt: clock.now(),
        address: from.address,
        port: from.port,
        transport: from.transport,
      });
  };
  // Call records (issue 9): calls left open by a crash are written at once, ended by the server
  // Calls the dialog journal held when the engine last stopped (issue 18): resumed once SIP is up
  const dialogs = readDialogJournal(config.dataDir);
  const resumable = new Set([...dialogs].filter(([, state]) => state.up !== undefined).map(([id]) => id));
  const journal = CdrJournal.open({
    resumed: resumable,
    dataDir: config.dataDir,
    clock,
    onWritten: (n) => counters.inc("cdrs_written_total", undefined, n),
  });
  const cdrs: CdrSink = { open: (d) => journal.markOpen(d), write: (d) => journal.append(d) };
  const illegal = new IllegalCallRecorder(clock, cdrs, () => ({
    enabled: runtime.billIllegalCalls,
    configVersion: active.version,
  }));
  // Calls (issue 8); `transactions` and `udp` exist by the time the first call arrives.
  const b2bua = new B2bua({
    clock,
    counters,
    log,
    cdrs,
    transactions: {
      sendRequest: (...a) => transactions.sendRequest(...a),
      sendStateless: (...a) => transactions.sendStateless(...a),
    },
    local: () => ({ host: advertisedHost(config.sipHost), port: udp.port() }),
    // A dynamic routing gateway is reached where its registration came from (RFC 3581: behind NAT
    // the source address, not the Contact it wrote, is what reaches it).
    contactOf: (routingGatewayId) => registrar.lookup(routingGatewayId).find((b) => !b.expired)?.source ?? null,
  });
  const handleRequest = createRequestHandler({
    access,
    registrar,
    counters,
    runtime: () => runtime,
    onSeen,
    calls: b2bua,
    illegal,
  });

  const metaOf = (m: SipMessage | null) => ({
    method: m?.kind === "request" ? m.method : null,
    status: m?.kind === "response" ? m.status : null,
    callId: m ? (getCallId(m) ?? null) : null,
  });

  let sendOn: (bytes: Buffer, to: Remote) => void = () => undefined;
  function sendMessage(message: SipMessage, to: Remote): void {
    const bytes = serializeMessage(message);
    trace.capture("out", to, bytes, metaOf(message), clock.now());
    if (message.kind === "response") counters.inc("sip_responses_sent_total", ["code", message.status]);
    sendOn(bytes, to);
  }

  function respond(
    tx: ServerTransaction,
    request: SipRequest,
    status: number,
    reason: string,
    headers: HeaderInit[] = [],
  ): void {
    tx.respond(buildResponse(request, status, reason, headers));
  }

  const transactions = createTransactionLayer({
    clock,
    send: (bytes, to) => {
      const meta = wireMetaOf(bytes);
      trace.capture("out", to, bytes, meta, clock.now());
      if (meta.status !== null) counters.inc("sip_responses_sent_total", ["code", meta.status]);
      sendOn(bytes, to);
    },
    onAck(ack) {
      counters.inc("sip_requests_received_total", ["method", ack.method]);
      b2bua.handleAck(ack);
    },
    onAckTimeout: (tx) => b2bua.handleAckTimeout(tx),
    onStrayResponse: (response) => void b2bua.handleStray(response),
    onRequest(request: SipRequest, tx: ServerTransaction, from: Remote) {
      counters.inc("sip_requests_received_total", ["method", request.method]);
      // Brute force (DESIGN.md): a suspended source gets no answer at all, OPTIONS and CANCEL included
      if (access.guard.isSuspended(from.address)) {
        counters.inc("sip_requests_ignored_total", ["reason", "suspended"]);
        illegal.refused(request, from, 0, "Source Suspended");
        return tx.abandon();
      }
      const answer = answerRequest(request);
      if (answer.kind === "respond") return respond(tx, request, answer.status, answer.reason, answer.headers);
      if (answer.kind === "cancel") {
        const invite = transactions.findInviteServerTransaction(request);
        if (!invite) return respond(tx, request, 481, "Call/Transaction Does Not Exist");
        respond(tx, request, 200, "OK");
        if (b2bua.handleCancel(invite)) return;
        return invite.respond(buildResponse(invite.request, 487, "Request Terminated"));
      }
      if (answer.kind === "forward") handleRequest(request, tx, from);
    },
  });

  function handleParsed(parsed: ParseResult, raw: Buffer, from: Remote): void {
    counters.inc("sip_messages_received_total", ["transport", from.transport]);
    trace.capture("in", from, raw, metaOf(parsed.ok ? parsed.message : null), clock.now());
    const verdict = classifyRequest(parsed);
    if (verdict.action === "drop") {
      counters.inc("sip_messages_dropped_total", ["reason", verdict.reason.slice(0, 40)]);
      return;
    }
    if (verdict.action === "reject") {
      counters.inc("sip_messages_rejected_total", ["status", verdict.status]);
      return sendMessage(buildResponse(verdict.request, verdict.status, verdict.reason), from);
    }
    const message = verdict.message;
    transactions.receive(message.kind === "request" ? stampTopVia(message, from) : message, from);
  }

  const onUdpError = (error: Error, to: Remote) => {
    counters.inc("sip_send_errors_total", ["transport", "udp"]);
    log(`engine: UDP send to ${to.address}:${to.port} failed: ${error.message}`);
  };
  const tcpEvents = {
    onMessage: handleParsed,
    onFramingError(reason: string, from: Remote) {
      counters.inc("sip_tcp_framing_errors_total");
      log(`engine: TCP framing error from ${from.address}:${from.port}: ${reason}; connection closed`);
    },
    onRefused(reason: string, address: string) {
      counters.inc("sip_tcp_refused_total");
      log(`engine: TCP connection from ${address} refused: ${reason}`);
    },
    onConnectError(to: Remote) {
      counters.inc("sip_send_errors_total", ["transport", "tcp"]);
      transactions.reportTransportError(to);
    },
  };
  // UDP and TCP share one port (RFC 3261 §18). With port 0 (tests) the port UDP got may be taken
  // for TCP, so try a few.
  const { udp, tcp } = await (options.bindTransports ?? bindSipPort)(
    config,
    (bytes, from) => handleParsed(parseDatagram(bytes), bytes, from),
    onUdpError,
    tcpEvents,
  );
  sendOn = (bytes, to) => (to.transport === "udp" ? udp.send(bytes, to) : tcp.send(bytes, to));
  const restart = b2bua.resume(dialogs, runtime.snapshot.routingGateways, runtime.calls);
  counters.inc("calls_resumed_total", undefined, restart.resumed);
  counters.inc("calls_ended_at_restart_total", undefined, restart.ended);
  if (dialogs.size > 0)
    log(`engine: resumed ${restart.resumed} answered call(s); ended ${restart.ended} call(s) still in setup`);
  const dialogJournal = new DialogJournal({
    dataDir: config.dataDir,
    clock,
    checkpoint: () => b2bua.checkpoint(),
    log,
  });
  b2bua.attachJournal(dialogJournal);

  function status(): EngineStatus {
    return {
      version: active.version,
      hash: active.hash,
      appliedAt,
      startedAt: new Date(startedAt).toISOString(),
      uptimeSeconds: Math.round((clock.now() - startedAt) / 1000),
      pid: process.pid,
      listeners: [
        { transport: "udp", host: config.sipHost, port: udp.port() },
        { transport: "tcp", host: config.sipHost, port: tcp.port() },
      ],
      counters: {
        ...counters.snapshot(),
        registrations: registrar.count(),
        suspended_sources: access.guard.list().length,
        tcp_connections: tcp.connections(),
        trace_records: trace.size,
        live_calls: b2bua.liveCalls().length,
        ...transactions.stats(),
      },
    };
  }

  function applySnapshot(
    body: unknown,
    { delta = false, receivedAt = performance.now() }: ApplyOptions = {},
  ): ApplySnapshotResult {
    const started = performance.now();
    const check = delta ? checkSnapshotDelta(body, active) : checkSnapshot(body, active);
    if (!check.ok) {
      log(`engine: snapshot refused: ${check.reasons.join("; ")}`);
      return { ok: false, reasons: check.reasons };
    }
    const checked = performance.now();
    const at = new Date(clock.now()).toISOString();
    // Written before it runs: after a crash the engine comes back with what it last accepted.
    saveActiveSnapshot(config.dataDir, check.snapshot, check.contentChunks, at);
    const saved = performance.now();
    const next = buildRuntime(check.snapshot);
    active = check.snapshot;
    runtime = next;
    appliedAt = at;
    // Bindings of gateways removed, disabled or no longer in Password mode go; the others carry on.
    registrar.retainAccounts(next.accountIds);
    const configured = new Set(next.snapshot.mappingGateways.map((g) => g.id));
    for (const id of lastSeen.keys()) if (!configured.has(id)) lastSeen.delete(id);
    neverSuspend(next);
    outbound.apply(next.snapshot);
    health.apply(next.snapshot);
    const ms = (from: number, to: number) => Math.round(to - from);
    const ended = performance.now();
    log(
      `engine: applied configuration version ${active.version} (${active.hash.slice(0, 12)}${delta ? ", sent as a difference" : ""}) in ${ms(receivedAt, ended)} ms: ` +
        `parse ${ms(receivedAt, started)}, check ${ms(started, checked)}, save ${ms(checked, saved)}, the rest ${ms(saved, ended)}`,
    );
    return {
      ok: true,
      version: active.version,
      hash: active.hash,
      appliedAt: at,
      tookMs: Math.round((ended - receivedAt) * 100) / 100,
    };
  }

  // Carriers: register-out gateways register to them, static ones are probed with OPTIONS.
  const carrierDeps = {
    clock,
    transactions,
    contactHost: advertisedHost(config.sipHost),
    contactPort: () => udp.port(),
  };
  const outbound = new OutboundRegistrations({ ...carrierDeps, log });
  const health = new CarrierHealthProbe({ ...carrierDeps, intervalMs: config.carrierProbeSeconds * 1000 });
  outbound.apply(active);
  health.apply(active);

  const token = loadControlToken(config.dataDir, config.token);
  const control = await startControlServer(config.controlHost, config.controlPort, token, {
    status,
    applySnapshot,
    trace: (q) => trace.query(q),
    metrics: () =>
      counters.render({
        engine_config_version: active.version,
        engine_registrations: registrar.count(),
        engine_suspended_sources: access.guard.list().length,
        engine_tcp_connections: tcp.connections(),
        engine_trace_records: trace.size,
      }),
    registrations: (q) => registrar.list(q),
    removeRegistrations: (accountId, contact) => registrar.remove(accountId, contact),
    suspensions: () => access.guard.list(),
    security: () => ({
      ...security.report(),
      suspensions: access.guard.list(),
      neverSuspended: runtime.neverSuspended,
    }),
    activity: () => Object.fromEntries(lastSeen),
    carriers: () => ({ registrations: outbound.states(), health: health.states() }),
    liftSuspension: (source) => access.guard.lift(source),
    cdrs: (after, limit) => journal.read(after, limit),
    calls: () => b2bua.liveCalls(),
    hangUp: (id) => b2bua.hangUpById(id),
    testCall(routingGatewayId, number) {
      const gateway = active.routingGateways.find((g) => g.id === routingGatewayId);
      const deps = {
        clock,
        transactions,
        local: () => ({ host: advertisedHost(config.sipHost), port: udp.port() }),
        trace: (q: TraceQuery) => trace.query(q),
      };
      return gateway
        ? runTestCall(deps, gateway, registrar.lookup(gateway.id).find((b) => !b.expired)?.source ?? null, number)
        : null;
    },
  });
  log(
    `engine: SIP on udp/tcp ${config.sipHost}:${udp.port()}, control API on http://${config.controlHost}:${control.port()}`,
  );

  return {
    status,
    applySnapshot,
    sipPort: () => udp.port(),
    controlPort: () => control.port(),
    async stop() {
      // SS_SIP_USER_AGENT_SEND_UNREGISTER: unregister from carriers, and give the REGISTERs a moment to leave.
      const registered = outbound.states().some((r) => r.state === "registered");
      outbound.stop();
      health.stop();
      if (registered) await new Promise((r) => setTimeout(r, 300));
      await Promise.all([udp.close(), tcp.close(), control.close()]);
      b2bua.stop();
      dialogJournal.stop();
      journal.stop();
      transactions.stop();
      bindingJournal.stop();
      registrar.dispose();
      log("engine: stopped");
    },
  };
}

const bindSipPort: BindSipTransports = async (config, onDatagram, onUdpError, tcpEvents) => {
  for (let attempt = 1; ; attempt++) {
    const udp = await startUdp(config.sipHost, config.sipPort, onDatagram, onUdpError);
    try {
      return { udp, tcp: await startTcp(config.sipHost, udp.port(), tcpEvents) };
    } catch (error) {
      await udp.close();
      if (config.sipPort !== 0 || attempt >= 10) throw error;
    }
  }
};
