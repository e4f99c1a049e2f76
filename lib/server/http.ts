import { NextResponse } from "next/server";
import type { z } from "zod";
import type { ApiErrorCode } from "@/lib/domain/api-error";
import { countResponse } from "@/lib/server/console-metrics";
import { JSON_LIMIT_BYTES, readBodyText } from "@/lib/server/request-body";

const statusByCode: Record<ApiErrorCode, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rejected: 422,
  locked: 429,
};

export type FieldIssue = { path: string; message: string };

export function errorResponse(code: ApiErrorCode, message: string, issues?: FieldIssue[]): NextResponse {
  countResponse(statusByCode[code]);
  return NextResponse.json({ error: { code, message, ...(issues ? { issues } : {}) } }, { status: statusByCode[code] });
}

export function jsonResponse(body: unknown, status = 200): NextResponse {
  countResponse(status);
  return NextResponse.json(body, { status, headers: { "Cache-Control": "no-store" } });
}

export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));
}

function validationResponse(error: z.ZodError): NextResponse {
  const issues = zodIssues(error);
  return errorResponse("validation", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; response: NextResponse };

/** The JSON body, read within `limit` bytes (413 past it), validated by `schema` (400 with every issue). */
export async function parseJsonBody<S extends z.ZodType>(
  req: Request,
  schema: S,
  limit = JSON_LIMIT_BYTES,
): Promise<Parsed<z.infer<S>>> {
  const read = await readBodyText(req, limit);
  if (!read.ok) return { ok: false, response: errorResponse("too_large", read.message) };
  let body: unknown;
  try {
    body = JSON.parse(read.text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return { ok: false, response: errorResponse("validation", "The request body must be valid JSON") };
  }
  const parsed = schema.safeParse(body);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, response: validationResponse(parsed.error) };
}

export function parseSearchParams<S extends z.ZodType>(req: Request, schema: S): Parsed<z.infer<S>> {
  const query = Object.fromEntries(new URL(req.url).searchParams);
  const parsed = schema.safeParse(query);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, response: validationResponse(parsed.error) };
}

export type ServiceResult<T> =
  { ok: true; value: T } | { ok: false; code: ApiErrorCode; message: string; issues?: FieldIssue[] };

/** Turns a lib/server outcome into the wire response. */
export function respond<T>(result: ServiceResult<T>, status = 200): NextResponse {
  return result.ok ? jsonResponse(result.value, status) : errorResponse(result.code, result.message, result.issues);
}

/** A download or a stream (CSV, pcap, text, events): counted like every other response. */
export function fileResponse(body: BodyInit, headers: Record<string, string>): Response {
  countResponse(200);
  return new Response(body, { headers: { "Cache-Control": "no-store", ...headers } });
}
