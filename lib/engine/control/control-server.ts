import http from "node:http";
import {
  controlRoutes,
  liftSuspensionSchema,
  registrationQuerySchema,
  removeRegistrationsSchema,
  traceQuerySchema,
  type ApplySnapshotResult,
  type CarrierStatus,
  type EngineStatus,
  type GatewayActivity,
  type RegistrationQuery,
  type SecurityReport,
  type Suspension,
  type TraceQuery,
  type TraceRecord,
} from "@/lib/domain/control-api";
import type { z } from "zod";
import {
  cdrQuerySchema,
  hangUpQuerySchema,
  testCallSchema,
  type LiveCallView,
  type TestCallResult,
} from "@/lib/domain/cdr";
import type { CdrPage } from "@/lib/engine/cdr/cdr-journal";
import { bearerMatches } from "@/lib/engine/control/control-token";

// The loopback control API: the console applies snapshots and reads status, trace and metrics.

export type ControlHandlers = {
  status(): EngineStatus;
  applySnapshot(body: unknown, options: { delta: boolean; receivedAt: number }): ApplySnapshotResult;
  trace(query: TraceQuery): TraceRecord[];
  metrics(): string;
  registrations(query: RegistrationQuery): { total: number; bindings: unknown[] };
  removeRegistrations(accountId: string, contact?: string): number;
  suspensions(): Suspension[];
  security(): SecurityReport;
  activity(): GatewayActivity;
  carriers(): CarrierStatus;
  liftSuspension(source: string): boolean;
  cdrs(after: number, limit: number): CdrPage;
  calls(): LiveCallView[];
  /** False: no such live call. */
  hangUp(id: string): boolean;
  /** null: no such routing gateway in the running configuration. */
  testCall(routingGatewayId: string, number: string): Promise<TestCallResult> | null;
};

function parseQuery<T>(url: URL, schema: z.ZodType<T>, res: http.ServerResponse): T | null {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (parsed.success) return parsed.data;
  error(
    res,
    400,
    "validation",
    "Invalid query",
    parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
  );
  return null;
}

const MAX_BODY = 64 * 1024 * 1024;

function send(res: http.ServerResponse, status: number, body: unknown, contentType = "application/json") {
  const text = contentType === "application/json" ? JSON.stringify(body) : String(body);
  res.writeHead(status, { "Content-Type": contentType, "Cache-Control": "no-store" });
  res.end(text);
}

function error(res: http.ServerResponse, status: number, code: string, message: string, issues?: string[]) {
  send(res, status, { error: { code, message, ...(issues ? { issues } : {}) } });
}

function readBody(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

async function route(req: http.IncomingMessage, res: http.ServerResponse, token: string, handlers: ControlHandlers) {
  if (!bearerMatches(req.headers.authorization, token))
    return error(res, 401, "unauthenticated", "Send the engine's control token as a bearer token");
  const url = new URL(req.url ?? "/", "http://control");
  const is = (r: { method: string; path: string }) => req.method === r.method && url.pathname === r.path;
  if (is(controlRoutes.status)) return send(res, 200, handlers.status());
  if (is(controlRoutes.metrics)) return send(res, 200, handlers.metrics(), "text/plain; version=0.0.4");
  if (is(controlRoutes.trace)) {
    const query = parseQuery(url, traceQuerySchema, res);
    return query && send(res, 200, { items: handlers.trace(query) });
  }
  if (is(controlRoutes.registrations)) {
    const query = parseQuery(url, registrationQuerySchema, res);
    return query && send(res, 200, handlers.registrations(query));
  }
  if (is(controlRoutes.removeRegistrations)) {
    const query = parseQuery(url, removeRegistrationsSchema, res);
    return query && send(res, 200, { removed: handlers.removeRegistrations(query.accountId, query.contact) });
  }
  if (is(controlRoutes.suspensions)) return send(res, 200, { items: handlers.suspensions() });
  if (is(controlRoutes.security)) return send(res, 200, handlers.security());
  if (is(controlRoutes.activity)) return send(res, 200, handlers.activity());
  if (is(controlRoutes.carriers)) return send(res, 200, handlers.carriers());
  if (is(controlRoutes.liftSuspension)) {
    const query = parseQuery(url, liftSuspensionSchema, res);
    return query && send(res, 200, { lifted: handlers.liftSuspension(query.source) });
  }
  if (is(controlRoutes.cdrs)) {
    const query = parseQuery(url, cdrQuerySchema, res);
    return query && send(res, 200, handlers.cdrs(query.after, query.limit));
  }
  if (is(controlRoutes.calls)) return send(res, 200, { items: handlers.calls() });
  if (is(controlRoutes.hangUp)) {
    const query = parseQuery(url, hangUpQuerySchema, res);
    if (query === null) return;
    if (handlers.hangUp(query.id)) return send(res, 200, { hungUp: true });
    // `hungUp` beside the error: the console reads this body with one schema whatever the status
    return send(res, 404, { hungUp: false, error: { code: "not_found", message: `No live call ${query.id}` } });
  }
  if (is(controlRoutes.testCall) || is(controlRoutes.applySnapshot) || is(controlRoutes.applySnapshotDelta)) {
    const text = await readBody(req);
    const receivedAt = performance.now();
    if (text === null) return error(res, 413, "too_large", "The body is larger than 64 MiB");
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return error(res, 400, "validation", "The body must be JSON");
    }
    if (is(controlRoutes.testCall)) return testCall(res, body, handlers);
    const result = handlers.applySnapshot(body, { delta: is(controlRoutes.applySnapshotDelta), receivedAt });
    return send(res, result.ok ? 200 : 422, result);
  }
  return error(res, 404, "not_found", `No control route ${req.method} ${url.pathname}`);
}

async function testCall(res: http.ServerResponse, body: unknown, handlers: ControlHandlers) {
  const parsed = testCallSchema.safeParse(body);
  if (!parsed.success)
    return error(
      res,
      400,
      "validation",
      "Invalid test call",
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
    );
  const running = handlers.testCall(parsed.data.routingGatewayId, parsed.data.number);
  if (running === null) {
    const summary = `No routing gateway ${parsed.data.routingGatewayId} in the running configuration`;
    const result: TestCallResult = {
      ok: false,
      options: { code: null, reason: "not sent" },
      invite: { code: null, reason: "not sent", challenged: false },
      summary,
      messages: [],
    };
    return send(res, 404, { ...result, error: { code: "not_found", message: summary } });
  }
  return send(res, 200, await running);
}

export function startControlServer(
  host: string,
  port: number,
  token: string,
  handlers: ControlHandlers,
): Promise<{ port(): number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    route(req, res, token, handlers).catch((err: unknown) => {
      console.error("control API: request failed", err);
      if (!res.headersSent) error(res, 500, "internal", "The engine failed to handle this request; see its log");
      else res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve({
        port: () => (server.address() as { port: number }).port,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
