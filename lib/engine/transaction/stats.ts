// Live counts by kind and state, kept up to date on every transition (stats() must not walk a map
// of a few hundred thousand entries), and running totals for the engine's metrics.

export type InviteServerState = "proceeding" | "completed" | "confirmed" | "accepted";
export type NonInviteServerState = "trying" | "proceeding" | "completed";
export type InviteClientState = "calling" | "proceeding" | "completed" | "accepted";
export type NonInviteClientState = "trying" | "proceeding" | "completed";

export type ServerTransactionState = InviteServerState | NonInviteServerState | "terminated";
export type ClientTransactionState = InviteClientState | NonInviteClientState | "terminated";

export interface TransactionTotals {
  serverCreated: number;
  clientCreated: number;
  /** Retransmitted requests and responses absorbed by a transaction (never shown to the TU). */
  absorbed: number;
  /** Requests and responses this layer retransmitted on a timer (A, E, G, 2xx). */
  retransmitted: number;
  /** Client transactions that timed out (B, F) and INVITE server ones never acknowledged (H, L). */
  timeouts: number;
  strayResponses: number;
  /** Non-INVITE server transactions the TU left unanswered for 64*T1 (a TU bug), then dropped. */
  unanswered: number;
  /** Messages without the Via or CSeq a transaction needs (the classifier normally refuses them first). */
  dropped: number;
}

type Snake<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${Snake<T>}`
  : S;

/**
 * Flat, so that the engine can spread it into its status counters and metrics: live counts
 * (`transactions_server_invite_proceeding`, …, `transactions_live`) and running totals
 * (`transactions_absorbed_total`, …).
 */
export type TransactionStats = Readonly<
  Record<
    | `transactions_server_invite_${InviteServerState}`
    | `transactions_server_non_invite_${NonInviteServerState}`
    | `transactions_client_invite_${InviteClientState}`
    | `transactions_client_non_invite_${NonInviteClientState}`
    | "transactions_live"
    | `transactions_${Snake<keyof TransactionTotals>}_total`,
    number
  >
>;

/** One count per state of one kind of transaction; "terminated" is never counted (it is removed). */
export type StateCounts = Record<string, number>;

export interface Tally {
  readonly serverInvite: StateCounts;
  readonly serverNonInvite: StateCounts;
  readonly clientInvite: StateCounts;
  readonly clientNonInvite: StateCounts;
  readonly totals: TransactionTotals;
}

export function createTally(): Tally {
  return {
    serverInvite: { proceeding: 0, completed: 0, confirmed: 0, accepted: 0 },
    serverNonInvite: { trying: 0, proceeding: 0, completed: 0 },
    clientInvite: { calling: 0, proceeding: 0, completed: 0, accepted: 0 },
    clientNonInvite: { trying: 0, proceeding: 0, completed: 0 },
    totals: {
      serverCreated: 0,
      clientCreated: 0,
      absorbed: 0,
      retransmitted: 0,
      timeouts: 0,
      strayResponses: 0,
      unanswered: 0,
      dropped: 0,
    },
  };
}

/** Moves one transaction from `from` (null when new) to `to` in `counts`. */
export function moveCount(counts: StateCounts, from: string | null, to: string): void {
  if (from !== null && from !== "terminated") counts[from]--;
  if (to !== "terminated") counts[to]++;
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function snapshotStats(tally: Tally): TransactionStats {
  const out: Record<string, number> = {};
  let live = 0;
  const groups: Array<[string, StateCounts]> = [
    ["server_invite", tally.serverInvite],
    ["server_non_invite", tally.serverNonInvite],
    ["client_invite", tally.clientInvite],
    ["client_non_invite", tally.clientNonInvite],
  ];
  for (const [prefix, counts] of groups) {
    for (const state in counts) {
      out[`transactions_${prefix}_${state}`] = counts[state];
      live += counts[state];
    }
  }
  out.transactions_live = live;
  for (const [name, value] of Object.entries(tally.totals)) out[`transactions_${snake(name)}_total`] = value;
  return out as TransactionStats;
}
