import { z } from "zod";
import { apiErrorSchema } from "@/lib/domain/api-error";
import { createOperatorSchema, operatorSchema, updateOperatorSchema } from "@/lib/domain/operator";
import { apiTokenSchema, createApiTokenSchema, createdApiTokenSchema } from "@/lib/domain/api-token";
import { auditEntrySchema } from "@/lib/domain/audit";
import { parameterViewSchema, updateParameterSchema } from "@/lib/domain/parameter-api";
import type { Role } from "@/lib/domain/roles";
import {
  createMappingGatewaySchema,
  mappingGatewayViewSchema,
  updateMappingGatewaySchema,
} from "@/lib/domain/mapping-gateway";
import {
  createRoutingGatewaySchema,
  routingGatewayViewSchema,
  updateRoutingGatewaySchema,
} from "@/lib/domain/routing-gateway";
import { bulkGatewayActionSchema } from "@/lib/domain/gateway-bulk";
import { exportSnapshotSchema, importConfigSchema } from "@/lib/domain/config-file";
import { securityReportSchema } from "@/lib/domain/control-api";
import { checklistAnswersUpdateSchema } from "@/lib/domain/checklist";
import { traceMessageSchema, traceSessionSchema, traceStartSchema } from "@/lib/domain/trace";
import { simulateRequestSchema, simulationResponseSchema } from "@/lib/domain/route-simulation";

const reloadJobSchema = z.object({
  id: z.string(),
  step: z.enum(["building", "checking", "pushing", "done"]),
  outcome: z.enum(["running", "applied", "rejected", "up-to-date"]),
  version: z.number().nullable(),
  hash: z.string().nullable(),
  changes: z.number(),
  reasons: z.array(z.string()),
  tookMs: z.number().nullable(),
  engineMs: z.number().nullable(),
  sentAs: z
    .array(z.enum(["whole", "difference"]))
    .describe("Per engine: the whole snapshot, or only its difference from the snapshot that engine ran"),
});
const snapshotSummarySchema = z.object({
  version: z.number(),
  hash: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  outcome: z.string(),
  reasons: z.array(z.string()),
  tookMs: z.number().nullable(),
  rollbackOf: z.number().nullable(),
});

// The OpenAPI 3.1 document, generated from the same zod schemas the routes parse with.

type Operation = {
  method: "get" | "post" | "patch" | "delete";
  path: string;
  summary: string;
  role: Role;
  body?: z.ZodType;
  query?: Array<{ name: string; description: string; required?: boolean }>;
  response: z.ZodType;
  status?: number;
  errors: number[];
};

const list = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export const operations: Operation[] = [
  {
    method: "get",
    path: "/api/v1/me",
    summary: "Who the request is authenticated as",
    role: "viewer",
    response: z.object({ kind: z.enum(["session", "token"]), name: z.string(), role: z.string() }),
    errors: [401],
  },
  {
    method: "get",
    path: "/api/v1/operators",
    summary: "List operators",
    role: "admin",
    response: list(operatorSchema),
    errors: [401, 403],
  },
  {
    method: "post",
    path: "/api/v1/operators",
    summary: "Create an operator",
    role: "admin",
    body: createOperatorSchema,
    response: operatorSchema,
    status: 201,
    errors: [400, 401, 403, 409],
  },
  {
    method: "get",
    path: "/api/v1/operators/{id}",
    summary: "Get an operator",
    role: "admin",
    response: operatorSchema,
    errors: [401, 403, 404],
  },
  {
    method: "patch",
    path: "/api/v1/operators/{id}",
    summary: "Change role, disable or enable, reset password",
    role: "admin",
    body: updateOperatorSchema,
    response: operatorSchema,
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: "get",
    path: "/api/v1/tokens",
    summary: "List API tokens (never their values)",
    role: "admin",
    response: list(apiTokenSchema),
    errors: [401, 403],
  },
  {
    method: "post",
    path: "/api/v1/tokens",
    summary: "Create an API token; its value is returned once",
    role: "admin",
    body: createApiTokenSchema,
    response: createdApiTokenSchema,
    status: 201,
    errors: [400, 401, 403, 409],
  },
  {
    method: "delete",
    path: "/api/v1/tokens/{id}",
    summary: "Revoke an API token",
    role: "admin",
    response: apiTokenSchema,
    errors: [401, 403, 404],
  },
  {
    method: "get",
    path: "/api/v1/audit",
    summary: "Audit log, newest first",
    role: "viewer",
    query: [
      { name: "actor", description: "operator username or token:<name> (substring)" },
      { name: "action", description: "e.g. parameter.update (substring)" },
      { name: "entityType", description: "operator, token, parameter, …" },
      { name: "from", description: "ISO 8601 date-time" },
      { name: "to", description: "ISO 8601 date-time" },
      { name: "page", description: "1-based page number" },
      { name: "pageSize", description: "1 to 200, default 50" },
    ],
    response: z.object({ items: z.array(auditEntrySchema), total: z.number(), page: z.number(), pageSize: z.number() }),
    errors: [400, 401, 403],
  },
  {
    method: "get",
    path: "/api/v1/parameters",
    summary: "List system parameters with saved, active and default values",
    role: "viewer",
    response: list(parameterViewSchema),
    errors: [401, 403],
  },
  {
    method: "get",
    path: "/api/v1/parameters/{name}",
    summary: "Get one system parameter",
    role: "viewer",
    response: parameterViewSchema,
    errors: [401, 403, 404],
  },
  {
    method: "patch",
    path: "/api/v1/parameters/{name}",
    summary: "Save a pending value (effective at the next Reload)",
    role: "operator",
    body: updateParameterSchema,
    response: parameterViewSchema,
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: "delete",
    path: "/api/v1/parameters/{name}",
    summary: "Reset to the default (pending until Reload)",
    role: "operator",
    query: [{ name: "version", description: "the version the reset is based on", required: true }],
    response: parameterViewSchema,
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: "get",
    path: "/api/v1/pending",
    summary: "How many saved changes the engine does not run yet",
    role: "viewer",
    response: z.object({ count: z.number(), activeVersion: z.number(), activeHash: z.string() }),
    errors: [401, 403],
  },
  ...gatewayOperations(
    "mapping-gateways",
    "mapping gateway",
    mappingGatewayViewSchema,
    createMappingGatewaySchema,
    updateMappingGatewaySchema,
    "authMode (ip, ip-port, password)",
  ),
  ...gatewayOperations(
    "routing-gateways",
    "routing gateway",
    routingGatewayViewSchema,
    createRoutingGatewaySchema,
    updateRoutingGatewaySchema,
    "kind (static, dynamic, register-out)",
  ),
  {
    method: "get",
    path: "/api/v1/import-jobs/{id}",
    summary: "Progress and outcome of a CSV import",
    role: "operator",
    response: z.object({
      id: z.string(),
      status: z.enum(["running", "done", "failed"]),
      total: z.number(),
      done: z.number(),
      created: z.number(),
      updated: z.number(),
      error: z.string().nullable(),
    }),
    errors: [401, 403, 404],
  },
  {
    method: "get",
    path: "/api/v1/pending/changes",
    summary: 'The pending diff against what the engine runs (secrets only as "(changed)")',
    role: "viewer",
    response: z.object({
      items: z.array(
        z.object({
          entity: z.string(),
          action: z.enum(["added", "changed", "removed"]),
          id: z.string(),
          name: z.string(),
          fields: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
        }),
      ),
    }),
    errors: [401, 403],
  },
  {
    method: "post",
    path: "/api/v1/pending/discard",
    summary: "Put every saved edit back to what the engine runs",
    role: "operator",
    response: z.object({ changes: z.number() }),
    errors: [401, 403],
  },
  {
    method: "post",
    path: "/api/v1/reloads",
    summary: "Start a reload: 202 with a job to poll",
    role: "operator",
    response: reloadJobSchema,
    status: 202,
    errors: [401, 403, 409],
  },
  {
    method: "get",
    path: "/api/v1/reloads/{id}",
    summary: "A reload's progress and outcome (applied, rejected with reasons, up-to-date)",
    role: "viewer",
    response: reloadJobSchema,
    errors: [401, 403, 404],
  },
  {
    method: "get",
    path: "/api/v1/snapshots",
    summary: "Reload history",
    role: "viewer",
    query: [
      { name: "page", description: "1-based" },
      { name: "pageSize", description: "1 to 200" },
    ],
    response: z.object({ items: z.array(snapshotSummarySchema), total: z.number() }),
    errors: [400, 401, 403],
  },
  {
    method: "get",
    path: "/api/v1/snapshots/{version}",
    summary: "One version and what it changed",
    role: "viewer",
    response: snapshotSummarySchema,
    errors: [400, 401, 403, 404],
  },
  {
    method: "post",
    path: "/api/v1/snapshots/{version}/rollback",
    summary: "Restore an applied version and reload it as a new version (202 + job)",
    role: "operator",
    response: reloadJobSchema,
    status: 202,
    errors: [401, 403, 404, 409],
  },
  {
    method: "post",
    path: "/api/v1/snapshots/{version}/export",
    summary: "The version as a configuration file",
    role: "operator",
    body: exportSnapshotSchema,
    response: z.object({}).passthrough(),
    errors: [400, 401, 403, 404],
  },
  {
    method: "post",
    path: "/api/v1/snapshots/import",
    summary: "A configuration file becomes pending edits",
    role: "operator",
    body: importConfigSchema,
    response: z.object({ changes: z.number() }),
    errors: [400, 401, 403],
  },
  {
    method: "get",
    path: "/api/v1/engine",
    summary: "Engines up or down, the version each runs, counters",
    role: "viewer",
    response: z.object({}).passthrough(),
    errors: [401, 403],
  },
  {
    method: "get",
    path: "/api/v1/registrations",
    summary: "Live registrations per mapping gateway, and each gateway's last request",
    role: "viewer",
    query: [
      { name: "gatewayId", description: "one gateway" },
      { name: "limit", description: "1 to 5000" },
    ],
    response: z.object({}).passthrough(),
    errors: [400, 401, 403, 422],
  },
  {
    method: "get",
    path: "/api/v1/cdrs",
    summary: "Call records with totals (calls, ASR, ACD); Accept: text/csv for every matching record as CSV",
    role: "viewer",
    query: [
      { name: "from", description: "ISO 8601 date-time" },
      { name: "to", description: "ISO 8601 date-time" },
      { name: "caller", description: "substring" },
      { name: "callee", description: "substring" },
      { name: "gateway", description: "mapping or routing gateway name (substring)" },
      { name: "code", description: "final SIP code" },
      { name: "page", description: "1-based" },
      { name: "pageSize", description: "1 to 500" },
    ],
    response: z.object({}).passthrough(),
    errors: [400, 401, 403],
  },
  {
    method: "get",
    path: "/api/v1/calls",
    summary: "Calls in progress",
    role: "viewer",
    response: z.object({}).passthrough(),
    errors: [401, 403, 422],
  },
  {
    method: "delete",
    path: "/api/v1/calls/{id}",
    summary: "Hang up a call (both legs; audited)",
    role: "operator",
    response: z.object({}).passthrough(),
    errors: [401, 403, 404, 422],
  },
  {
    method: "get",
    path: "/api/v1/call-stats",
    summary: "Per gateway: live calls, and attempts, ASR, ACD over 24 hours",
    role: "viewer",
    response: z.object({}).passthrough(),
    errors: [401, 403],
  },
  {
    method: "post",
    path: "/api/v1/routing-gateways/{id}/test",
    summary: "OPTIONS and a test INVITE through a carrier, with the SIP messages exchanged",
    role: "operator",
    body: z.object({ number: z.string() }),
    response: z.object({}).passthrough(),
    errors: [400, 401, 403, 422],
  },
  {
    method: "get",
    path: "/api/v1/traces",
    summary: "Debug traces, newest first",
    role: "viewer",
    response: list(traceSessionSchema),
    errors: [401, 403],
  },
  {
    method: "post",
    path: "/api/v1/traces",
    summary: "Start a debug trace for some minutes, with filters (audited)",
    role: "operator",
    body: traceStartSchema,
    response: traceSessionSchema,
    status: 201,
    errors: [400, 401, 403, 422],
  },
  {
    method: "get",
    path: "/api/v1/traces/{id}",
    summary: "A trace and its messages after message id `after`",
    role: "viewer",
    query: [{ name: "after", description: "message id; only later messages are returned" }],
    response: z.object({ trace: traceSessionSchema, messages: z.array(traceMessageSchema) }),
    errors: [400, 401, 403, 404],
  },
  {
    method: "delete",
    path: "/api/v1/traces/{id}",
    summary: "Stop a running trace early (audited)",
    role: "operator",
    response: traceSessionSchema,
    errors: [401, 403, 404, 409],
  },
  {
    method: "get",
    path: "/api/v1/traces/{id}/events",
    summary: "Server-sent events: `message` per captured message, `trace` on state changes, `end`",
    role: "viewer",
    response: z.string(),
    errors: [401, 403, 404],
  },
  {
    method: "get",
    path: "/api/v1/traces/{id}/export",
    summary: "The trace as a pcap file (Wireshark, tshark) or plain text",
    role: "viewer",
    query: [{ name: "format", description: "pcap or text", required: true }],
    response: z.string(),
    errors: [400, 401, 403, 404],
  },
  {
    method: "get",
    path: "/api/v1/trace-calls/{callId}",
    summary: "Every message of one Call-ID, from traces or else from the engine's recent ring",
    role: "viewer",
    response: z.object({
      callId: z.string(),
      source: z.enum(["trace", "engine"]),
      messages: z.array(traceMessageSchema),
    }),
    errors: [400, 401, 403, 422],
  },
  {
    method: "get",
    path: "/api/v1/security",
    summary:
      "Authentication over the last hour, top failing sources and gateways, suspensions, addresses never suspended",
    role: "viewer",
    response: securityReportSchema,
    errors: [401, 403, 422],
  },
  {
    method: "delete",
    path: "/api/v1/security/suspensions",
    summary: "Lift the suspension of a source (audited)",
    role: "operator",
    query: [{ name: "source", description: "the suspended address", required: true }],
    response: z.object({ lifted: z.literal(true) }),
    errors: [400, 401, 403, 404, 422],
  },
  {
    method: "post",
    path: "/api/v1/simulate",
    summary:
      "Route and auth simulator: which mapping gateway identifies a request, its challenge, refusals, rewrites and routing gateways, against the running and the pending configuration",
    role: "viewer",
    body: simulateRequestSchema,
    response: simulationResponseSchema,
    errors: [400, 401, 403],
  },
  {
    method: "get",
    path: "/api/v1/metrics",
    summary: "Prometheus text: the console's metrics and the engine's",
    role: "viewer",
    response: z.string(),
    errors: [401, 403],
  },
  {
    method: "get",
    path: "/api/v1/doctor",
    summary: "The auth doctor: the causes of a failed registration or call, each with its fix",
    role: "viewer",
    query: [
      { name: "callId", description: "one Call-ID (from a trace or a call record)" },
      { name: "gatewayId", description: "a mapping gateway: its recent messages" },
      { name: "address", description: "a source address: its recent messages" },
    ],
    response: z.object({
      findings: z.array(
        z.object({
          cause: z.string(),
          title: z.string(),
          explanation: z.string(),
          fix: z.object({ label: z.string(), href: z.string() }),
          callId: z.string().nullable(),
        }),
      ),
      messages: z.number(),
      source: z.enum(["trace", "engine"]),
    }),
    errors: [400, 401, 403, 404, 422],
  },
  {
    method: "get",
    path: "/api/v1/checklist",
    summary: "The caller's deployment checklist: answers and each step's last verdict",
    role: "viewer",
    response: z.object({}).passthrough(),
    errors: [401, 403],
  },
  {
    method: "patch",
    path: "/api/v1/checklist",
    summary: "Save checklist answers (endpoint types, gateway and carrier to test, test number)",
    role: "operator",
    body: checklistAnswersUpdateSchema,
    response: z.object({}).passthrough(),
    errors: [400, 401, 403],
  },
  {
    method: "delete",
    path: "/api/v1/checklist",
    summary: "Start the checklist over (verdicts cleared, answers kept)",
    role: "operator",
    response: z.object({}).passthrough(),
    errors: [401, 403],
  },
  {
    method: "post",
    path: "/api/v1/checklist/steps/{step}",
    summary: "Check one step (1–8) against the live softswitch: pass, warn, fail or waiting, with evidence and the fix",
    role: "operator",
    response: z.object({}).passthrough(),
    errors: [401, 403, 404],
  },
  {
    method: "get",
    path: "/api/v1/checklist/summary",
    summary: "The checklist as plain text, to print or keep",
    role: "viewer",
    response: z.string(),
    errors: [401, 403],
  },
  {
    method: "get",
    path: "/api/v1/openapi.json",
    summary: "This document",
    role: "viewer",
    response: z.object({}).passthrough(),
    errors: [401],
  },
];

function gatewayOperations(
  resource: string,
  label: string,
  view: z.ZodType,
  create: z.ZodType,
  update: z.ZodType,
  filter: string,
): Operation[] {
  const base = `/api/v1/${resource}`;
  const listQuery = [
    { name: "search", description: "substring of name, address, username, prefixes or memo" },
    { name: filter.split(" ")[0], description: filter },
    { name: "enabled", description: "true or false" },
    { name: "group", description: "routing group" },
    { name: "sort", description: "name, priority, capacity, …" },
    { name: "order", description: "asc or desc" },
    { name: "page", description: "1-based" },
    { name: "pageSize", description: "1 to 500, default 50" },
  ];
  return [
    {
      method: "get",
      path: base,
      summary: `List ${label}s (search, filters, sorting, paging)`,
      role: "viewer",
      query: listQuery,
      response: z.object({ items: z.array(view), total: z.number(), page: z.number(), pageSize: z.number() }),
      errors: [400, 401, 403],
    },
    {
      method: "post",
      path: base,
      summary: `Create a ${label} (pending until Reload)`,
      role: "operator",
      body: create,
      response: view,
      status: 201,
      errors: [400, 401, 403, 409],
    },
    {
      method: "get",
      path: `${base}/{id}`,
      summary: `Get a ${label} (passwords never returned: hasPassword)`,
      role: "viewer",
      response: view,
      errors: [401, 403, 404],
    },
    {
      method: "patch",
      path: `${base}/{id}`,
      summary: `Change a ${label}: fields not sent stay as they are`,
      role: "operator",
      body: update,
      response: view,
      errors: [400, 401, 403, 404, 409],
    },
    {
      method: "delete",
      path: `${base}/{id}`,
      summary: `Delete a ${label}`,
      role: "operator",
      response: z.object({ deleted: z.string() }),
      errors: [401, 403, 404],
    },
    {
      method: "post",
      path: `${base}/bulk`,
      summary: `Enable, disable or delete many ${label}s (all or nothing)`,
      role: "operator",
      body: bulkGatewayActionSchema,
      response: z.object({ action: z.string(), affected: z.number() }),
      errors: [400, 401, 403, 404, 409],
    },
    {
      method: "get",
      path: `${base}/export`,
      summary: `CSV of the ${label}s matching the list filters (no passwords)`,
      role: "viewer",
      query: listQuery.slice(0, 5),
      response: z.string(),
      errors: [400, 401, 403],
    },
    {
      method: "post",
      path: `${base}/import`,
      summary: `CSV import (text/csv body): mode=preview lists bad rows; mode=commit imports all or nothing (202 + job)`,
      role: "operator",
      query: [{ name: "mode", description: "preview (default) or commit", required: false }],
      response: z.object({}).passthrough(),
      errors: [400, 401, 403],
    },
  ];
}

const errorText: Record<number, string> = {
  400: "Validation failed: one message per field in error.issues",
  401: "No valid session or API token",
  403: "Role too low, or a cross-origin write with a session cookie",
  404: "Not found",
  409: "Conflict: a unique name is taken, the version sent is stale, or a reload is already running",
  422: "The engine refused or could not be reached",
};

const toSchema = (schema: z.ZodType, io: "input" | "output") =>
  z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" });

export function buildOpenApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    const queryParams = (op.query ?? []).map((q) => ({
      name: q.name,
      in: "query",
      required: q.required ?? false,
      description: q.description,
      schema: { type: "string" },
    }));
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      summary: op.summary,
      description: `Needs the ${op.role} role.`,
      parameters: [...pathParams, ...queryParams],
      ...(op.body
        ? { requestBody: { required: true, content: { "application/json": { schema: toSchema(op.body, "input") } } } }
        : {}),
      responses: {
        [String(op.status ?? 200)]: {
          description: "Success",
          content: { "application/json": { schema: toSchema(op.response, "output") } },
        },
        ...Object.fromEntries(op.errors.map((code) => [String(code), { $ref: `#/components/responses/E${code}` }])),
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Softswitch Console API",
      version: "1",
      description:
        "Send `Authorization: Bearer <token>` (create tokens on the API tokens screen). Errors share one shape: `{ error: { code, message, issues? } }`.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }, { session: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer" },
        session: { type: "apiKey", in: "cookie", name: "ssc_session" },
      },
      responses: Object.fromEntries(
        Object.entries(errorText).map(([code, description]) => [
          `E${code}`,
          { description, content: { "application/json": { schema: toSchema(apiErrorSchema, "output") } } },
        ]),
      ),
    },
  };
}
