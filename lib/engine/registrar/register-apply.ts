import type { Remote } from "@/lib/engine/transport/remote";
import { BindingRecord, detach } from "@/lib/engine/registrar/binding";
import type {
  ContactChange,
  RegisterParams,
  RegisterPlan,
  RegisterResult,
} from "@/lib/engine/registrar/register-request";
import { sameUriAsText } from "@/lib/engine/registrar/uri-compare";
import type { Uri } from "@/lib/engine/sip/uri";

export type UpdatePlan = Extract<RegisterPlan, { kind: "update" }>;

export interface UpdateInput {
  readonly accountId: string;
  /** The account's bindings not yet removed. */
  readonly live: readonly BindingRecord[];
  /** Its userAgent already detached from the message (binding-store interns it). */
  readonly plan: UpdatePlan;
  readonly source: Remote;
  readonly params: RegisterParams;
  readonly now: number;
  readonly maxPerAccount: number;
}

export type UpdateOutcome =
  | { readonly ok: false; readonly result: RegisterResult }
  /** next: the account's bindings afterwards; touched: those added or refreshed; changed: anything to persist. */
  | {
      readonly ok: true;
      readonly next: BindingRecord[];
      readonly touched: ReadonlySet<BindingRecord>;
      readonly changed: boolean;
    };

export function indexOfUri(records: readonly BindingRecord[], uri: Uri): number {
  for (let i = 0; i < records.length; i++) if (sameUriAsText(uri, records[i].uri)) return i;
  return -1;
}

function create(input: UpdateInput, change: ContactChange, graceMs: number): BindingRecord {
  const { plan, source, now } = input;
  const expiresAt = now + change.expires * 1000;
  return new BindingRecord(
    input.accountId,
    detach(change.uri.raw),
    detach(plan.callId),
    plan.cseq,
    source.transport,
    detach(source.address),
    source.port,
    source.connectionId,
    change.q,
    plan.userAgent,
    now,
    expiresAt,
    graceMs,
  );
}

function refresh(record: BindingRecord, input: UpdateInput, change: ContactChange, graceMs: number): void {
  const { plan, now } = input;
  if (record.callId !== plan.callId) {
    // RFC 3261 §10.3 step 7: another Call-ID for the same contact replaces the binding: a new registration
    record.callId = detach(plan.callId);
    record.registeredAt = now;
  }
  if (record.uri !== change.uri.raw) record.uri = detach(change.uri.raw);
  record.userAgent = plan.userAgent;
  record.cseq = plan.cseq;
  record.q = change.q;
  record.expiresAt = now + change.expires * 1000;
  record.graceMs = graceMs;
  record.setSource(input.source);
}

/**
 * RFC 3261 §10.3 step 7 for every Contact of one REGISTER, all or nothing: the account's bindings
 * afterwards, or a refusal that left every binding as it was.
 */
export function applyUpdate(input: UpdateInput): UpdateOutcome {
  const { plan, params, now, live } = input;
  let next = live.slice();
  const touched = new Set<BindingRecord>();
  const updates: Array<[BindingRecord, ContactChange]> = [];
  const graceMs = params.graceSeconds * 1000;
  let adds = false;
  let changed = false;
  for (const change of plan.changes) {
    const i = indexOfUri(next, change.uri);
    const existing = i < 0 ? undefined : next[i];
    // A contact named twice in one request: the first one counts.
    if (existing !== undefined && touched.has(existing)) continue;
    // RFC 3261 §10.3 step 7: same Call-ID with a CSeq not higher is out of order or a retransmission: ignored
    if (existing !== undefined && existing.callId === plan.callId && plan.cseq <= existing.cseq) continue;
    if (change.expires === 0) {
      if (existing !== undefined) next.splice(i, 1);
      changed ||= existing !== undefined;
      continue;
    }
    adds = true;
    if (existing !== undefined) updates.push([existing, change]);
    else next.push(create(input, change, graceMs));
    touched.add(existing ?? next[next.length - 1]);
  }
  if (adds && !params.replace) {
    // SS_ENDPOINT_REGISTER_REPLACE off: refused while another Call-ID's binding lives, unless this request rebinds that very contact
    const rival = live.find(
      (b) => b.callId !== plan.callId && now < b.expiresAt && !plan.changes.some((c) => sameUriAsText(c.uri, b.uri)),
    );
    if (rival !== undefined)
      return { ok: false, result: { status: 403, reason: "Already registered from another device" } };
  }
  if (adds && params.replace) {
    // SS_ENDPOINT_REGISTER_REPLACE on: a new registration (another Call-ID) takes the account over; no ghost stays behind
    const kept = next.filter((b) => b.callId === plan.callId || touched.has(b));
    changed ||= kept.length !== next.length;
    next = kept;
  }
  if (next.length > input.maxPerAccount)
    return { ok: false, result: { status: 403, reason: "Too many contacts for this account" } };
  for (const [record, change] of updates) refresh(record, input, change, graceMs);
  return { ok: true, next, touched, changed: changed || touched.size > 0 };
}
