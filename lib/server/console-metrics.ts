// The console's own Prometheus figures (issue 10), kept in memory since start-up: API responses by
// status code and reload durations. Served with the engine's own at GET /api/v1/metrics.

const responses = new Map<number, number>();
// Reload durations in seconds, as a Prometheus histogram (cumulative buckets).
const RELOAD_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const reloads = { counts: RELOAD_BUCKETS.map(() => 0), sum: 0, total: 0, byOutcome: new Map<string, number>() };

export function countResponse(status: number): void {
  responses.set(status, (responses.get(status) ?? 0) + 1);
}

export function observeReload(ms: number, outcome: string): void {
  const seconds = ms / 1000;
  RELOAD_BUCKETS.forEach((bound, i) => {
    if (seconds <= bound) reloads.counts[i]++;
  });
  reloads.sum += seconds;
  reloads.total++;
  reloads.byOutcome.set(outcome, (reloads.byOutcome.get(outcome) ?? 0) + 1);
}

/** Prometheus text exposition format 0.0.4; `extra` are gauges read at scrape time. */
export function renderConsoleMetrics(extra: Record<string, number>): string {
  const lines = [
    "# HELP console_http_responses_total API responses sent by the console, by status code.",
    "# TYPE console_http_responses_total counter",
    ...[...responses]
      .sort((a, b) => a[0] - b[0])
      .map(([code, n]) => `console_http_responses_total{code="${code}"} ${n}`),
    "# HELP console_reload_duration_seconds Time from Reload to the engine's verdict.",
    "# TYPE console_reload_duration_seconds histogram",
    ...RELOAD_BUCKETS.map((bound, i) => `console_reload_duration_seconds_bucket{le="${bound}"} ${reloads.counts[i]}`),
    `console_reload_duration_seconds_bucket{le="+Inf"} ${reloads.total}`,
    `console_reload_duration_seconds_sum ${reloads.sum}`,
    `console_reload_duration_seconds_count ${reloads.total}`,
    "# TYPE console_reloads_total counter",
    ...[...reloads.byOutcome].map(([outcome, n]) => `console_reloads_total{outcome="${outcome}"} ${n}`),
    ...Object.entries(extra).flatMap(([name, value]) => [`# TYPE ${name} gauge`, `${name} ${value}`]),
  ];
  return `${lines.join("\n")}\n`;
}
