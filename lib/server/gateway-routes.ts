import { FILE_LIMIT_BYTES, readBodyText } from "@/lib/server/request-body";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { bulkGatewayActionSchema, type BulkGatewayAction } from "@/lib/domain/gateway-bulk";
import { authenticateAs } from "@/lib/server/api-auth";
import { toCsv, type CsvField } from "@/lib/server/gateway-csv";
import { commitGatewayImport, previewGatewayImport, type GatewayImportKind } from "@/lib/server/gateway-import";
import type { Page } from "@/lib/server/gateway-rows";
import {
  errorResponse,
  fileResponse,
  jsonResponse,
  parseJsonBody,
  parseSearchParams,
  respond,
  type ServiceResult,
} from "@/lib/server/http";
import { actorOf, type Actor } from "@/lib/server/principal";

// The REST handlers of both gateway kinds, made from one description each so that mapping and
// routing gateways keep exactly the same rules. Each handler: authenticate → authorize → service → respond.

type Ctx = { params: Promise<{ id: string }> };

export type GatewayService<Q, V, C, U> = {
  listQuerySchema: z.ZodType<Q>;
  createSchema: z.ZodType<C>;
  updateSchema: z.ZodType<U>;
  list(q: Q): Promise<Page<V>>;
  get(id: string): Promise<ServiceResult<V>>;
  create(input: C, actor: Actor): Promise<ServiceResult<V>>;
  update(id: string, patch: U, actor: Actor): Promise<ServiceResult<V>>;
  remove(id: string, actor: Actor): Promise<ServiceResult<{ deleted: string }>>;
  bulk(input: BulkGatewayAction, actor: Actor): Promise<ServiceResult<{ action: string; affected: number }>>;
  csvFields: CsvField[];
  importKind: GatewayImportKind<never>;
  fileName: string;
};

const EXPORT_LIMIT = 100_000;

export function gatewayRoutes<Q extends { page: number; pageSize: number }, V extends Record<string, unknown>, C, U>(
  service: GatewayService<Q, V, C, U>,
) {
  async function guard(req: NextRequest, role: "viewer" | "operator") {
    const auth = await authenticateAs(req, role);
    return auth.ok ? { actor: actorOf(auth.principal) } : { response: auth.response };
  }

  return {
    collection: {
      async GET(req: NextRequest) {
        const g = await guard(req, "viewer");
        if (g.response) return g.response;
        const query = parseSearchParams(req, service.listQuerySchema);
        if (!query.ok) return query.response;
        return jsonResponse(await service.list(query.data));
      },
      async POST(req: NextRequest) {
        const g = await guard(req, "operator");
        if (g.response) return g.response;
        const body = await parseJsonBody(req, service.createSchema);
        if (!body.ok) return body.response;
        return respond(await service.create(body.data, g.actor), 201);
      },
    },
    item: {
      async GET(req: NextRequest, ctx: Ctx) {
        const g = await guard(req, "viewer");
        if (g.response) return g.response;
        return respond(await service.get((await ctx.params).id));
      },
      async PATCH(req: NextRequest, ctx: Ctx) {
        const g = await guard(req, "operator");
        if (g.response) return g.response;
        const body = await parseJsonBody(req, service.updateSchema);
        if (!body.ok) return body.response;
        return respond(await service.update((await ctx.params).id, body.data, g.actor));
      },
      async DELETE(req: NextRequest, ctx: Ctx) {
        const g = await guard(req, "operator");
        if (g.response) return g.response;
        return respond(await service.remove((await ctx.params).id, g.actor));
      },
    },
    bulk: {
      async POST(req: NextRequest) {
        const g = await guard(req, "operator");
        if (g.response) return g.response;
        const body = await parseJsonBody(req, bulkGatewayActionSchema);
        if (!body.ok) return body.response;
        return respond(await service.bulk(body.data, g.actor));
      },
    },
    exportCsv: {
      /** The list's filters apply; passwords are never exported (hasPassword says whether one is set). */
      async GET(req: NextRequest) {
        const g = await guard(req, "viewer");
        if (g.response) return g.response;
        const query = parseSearchParams(req, service.listQuerySchema);
        if (!query.ok) return query.response;
        const page = await service.list({ ...query.data, page: 1, pageSize: EXPORT_LIMIT });
        return fileResponse(toCsv(page.items, service.csvFields), {
          "Content-Type": "text/csv; charset=utf-8",
          "Content-Disposition": `attachment; filename="${service.fileName}"`,
        });
      },
    },
    importCsv: {
      /** `?mode=preview` lists every bad row and writes nothing; `?mode=commit` imports all rows or none (202 + job). */
      async POST(req: NextRequest) {
        const g = await guard(req, "operator");
        if (g.response) return g.response;
        const mode = new URL(req.url).searchParams.get("mode") ?? "preview";
        if (mode !== "preview" && mode !== "commit")
          return errorResponse("validation", "mode must be preview or commit");
        const read = await readBodyText(req, FILE_LIMIT_BYTES);
        if (!read.ok) return errorResponse("too_large", read.message);
        const csv = read.text;
        if (mode === "preview") return respond(await previewGatewayImport(service.importKind, csv));
        return respond(await commitGatewayImport(service.importKind, csv, g.actor), 202);
      },
    },
  };
}
