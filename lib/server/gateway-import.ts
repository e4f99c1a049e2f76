import type { Prisma } from "@/generated/prisma/client";
import type { z } from "zod";
import { db } from "@/lib/server/db";
import { maskSecrets } from "@/lib/server/audit";
import { parseCsv, recordToInput, type CsvField } from "@/lib/server/gateway-csv";
import { startImportJob, type ImportJob } from "@/lib/server/import-jobs";
import { zodIssues, type ServiceResult } from "@/lib/server/http";
import type { Actor } from "@/lib/server/principal";
import type { RuleIssue } from "@/lib/domain/mapping-gateway";

// CSV import for both gateway kinds: every row is checked (fields, rules, conflicts with the
// database and with earlier rows) before anything is written; then one transaction writes all.

type Tx = Prisma.TransactionClient;
export const MAX_IMPORT_ROWS = 20_000;
const CHUNK = 500;

export type Existing = { id: string; hasPassword: boolean };

/** Gateways by name, for an import that updates the ones it names and creates the others. */
export function existingByName(
  rows: Array<{ id: string; name: string; passwordCipher: string | null }>,
): Map<string, Existing> {
  return new Map(rows.map((r) => [r.name, { id: r.id, hasPassword: r.passwordCipher !== null }]));
}
export type ConflictChecker<C> = {
  conflictOf(config: C, id: string): RuleIssue | null;
  add(config: C, id: string): void;
};

export type GatewayImportKind<C> = {
  entity: "mapping-gateway" | "routing-gateway";
  fields: CsvField[];
  createSchema: z.ZodType<C & { password?: string }>;
  ruleIssues(config: C, hasPassword: boolean): RuleIssue[];
  loadExisting(): Promise<Map<string, Existing>>;
  loadConflicts(): Promise<ConflictChecker<C>>;
  columns(config: C, password: string | undefined): Record<string, unknown>;
  createMany(tx: Tx, data: Array<Record<string, unknown>>): Promise<void>;
  update(tx: Tx, id: string, data: Record<string, unknown>): Promise<void>;
};

export type RowError = { line: number; name: string; messages: string[] };
type PlannedRow<C> = { line: number; config: C; password?: string; existingId: string | null };
export type ImportPreview = { rows: number; creates: number; updates: number; errors: RowError[] };

async function plan<C extends { name: string }>(
  kind: GatewayImportKind<C>,
  csv: string,
): Promise<ServiceResult<{ planned: PlannedRow<C>[]; errors: RowError[] }>> {
  const parsed = parseCsv(csv, kind.fields, MAX_IMPORT_ROWS);
  if (!parsed.ok) return { ok: false, code: "validation", message: parsed.message };
  const [existing, conflicts] = await Promise.all([kind.loadExisting(), kind.loadConflicts()]);
  const planned: PlannedRow<C>[] = [];
  const errors: RowError[] = [];
  const seenNames = new Map<string, number>();
  for (const { line, record } of parsed.rows) {
    const name = record.name ?? "";
    const { input, errors: cellErrors } = recordToInput(record, kind.fields);
    const result = kind.createSchema.safeParse(input);
    if (cellErrors.length > 0 || !result.success) {
      errors.push({
        line,
        name,
        messages: [
          ...cellErrors,
          ...(result.success ? [] : zodIssues(result.error).map((i) => `${i.path}: ${i.message}`)),
        ],
      });
      continue;
    }
    const { password, ...config } = result.data as C & { password?: string };
    const earlier = seenNames.get(config.name.toLowerCase());
    if (earlier) {
      errors.push({ line, name, messages: [`name "${config.name}" already appears on line ${earlier}`] });
      continue;
    }
    seenNames.set(config.name.toLowerCase(), line);
    const found = existing.get(config.name) ?? null;
    const issues = kind.ruleIssues(config as C, password !== undefined || Boolean(found?.hasPassword));
    const id = found?.id ?? `new-row-${line}`;
    const conflict = issues.length === 0 ? conflicts.conflictOf(config as C, id) : null;
    if (issues.length > 0 || conflict) {
      errors.push({ line, name, messages: [...issues, ...(conflict ? [conflict] : [])].map((i) => i.message) });
      continue;
    }
    conflicts.add(config as C, id);
    planned.push({ line, config: config as C, password, existingId: found?.id ?? null });
  }
  return { ok: true, value: { planned, errors } };
}

export async function previewGatewayImport<C extends { name: string }>(
  kind: GatewayImportKind<C>,
  csv: string,
): Promise<ServiceResult<ImportPreview>> {
  const result = await plan(kind, csv);
  if (!result.ok) return result;
  const { planned, errors } = result.value;
  const updates = planned.filter((p) => p.existingId).length;
  return {
    ok: true,
    value: { rows: planned.length + errors.length, creates: planned.length - updates, updates, errors },
  };
}

/** All or nothing: refuses the whole file when any row is bad; otherwise one transaction in the background. */
export async function commitGatewayImport<C extends { name: string }>(
  kind: GatewayImportKind<C>,
  csv: string,
  actor: Actor,
): Promise<ServiceResult<ImportJob>> {
  const result = await plan(kind, csv);
  if (!result.ok) return result;
  const { planned, errors } = result.value;
  if (errors.length > 0) {
    return {
      ok: false,
      code: "validation",
      message: `${errors.length} row${errors.length > 1 ? "s are" : " is"} invalid; nothing was imported`,
      issues: errors.map((e) => ({ path: `line ${e.line}`, message: e.messages.join("; ") })),
    };
  }
  const job = startImportJob(kind.entity, planned.length, (job) =>
    db.$transaction(
      async (tx) => {
        for (let i = 0; i < planned.length; i += CHUNK) {
          const chunk = planned.slice(i, i + CHUNK);
          const creates = chunk.filter((p) => !p.existingId);
          await kind.createMany(
            tx,
            creates.map((p) => kind.columns(p.config, p.password)),
          );
          for (const p of chunk.filter((p) => p.existingId))
            await kind.update(tx, p.existingId!, kind.columns(p.config, p.password));
          await tx.auditEntry.createMany({
            data: chunk.map((p) => ({
              actor: actor.actor,
              via: actor.via,
              action: `${kind.entity}.import`,
              entityType: kind.entity,
              entityId: p.existingId ?? p.config.name,
              after: JSON.stringify(maskSecrets({ ...p.config, ...(p.password ? { password: p.password } : {}) })),
            })),
          });
          job.created += creates.length;
          job.updated += chunk.length - creates.length;
          job.done += chunk.length;
        }
      },
      { timeout: 600_000, maxWait: 30_000 },
    ),
  );
  return { ok: true, value: job };
}
