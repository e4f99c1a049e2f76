"use client";

import Link from "next/link";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { useCan } from "@/components/shell/operator-context";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { Table, td, th } from "@/components/ui/table";
import type { SecurityOverview, Suspension } from "@/lib/domain/control-api";

function FailureChart({ perMinute }: { perMinute: SecurityOverview["perMinute"] }) {
  const max = Math.max(1, ...perMinute.map((m) => Math.max(m.failures, m.challenges)));
  const width = 600;
  const height = 120;
  const bar = width / perMinute.length;
  const total = (k: "failures" | "challenges" | "answered") => perMinute.reduce((n, m) => n + m[k], 0);
  return (
    <figure className="mb-4 rounded-lg border border-slate-200 bg-white p-3">
      <figcaption className="mb-2 text-sm">
        Last hour, per minute: <strong data-testid="challenges-total">{total("challenges")}</strong> challenges sent,{" "}
        <strong data-testid="answered-total">{total("answered")}</strong> answered with good credentials,{" "}
        <strong data-testid="failures-total">{total("failures")}</strong> failed answers.
      </figcaption>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        className="h-32 w-full"
        role="img"
        aria-label={`Challenges (grey) and authentication failures (red) per minute over the last hour; ${total("failures")} failures in all`}
      >
        {perMinute.map((m, i) => (
          <g key={m.minute}>
            <rect
              x={i * bar + 1}
              width={bar - 2}
              y={height - (m.challenges / max) * height}
              height={(m.challenges / max) * height}
              fill="#cbd5e1"
            >
              <title>{`${new Date(m.minute).toLocaleTimeString()}: ${m.challenges} challenges, ${m.answered} answered, ${m.failures} failures`}</title>
            </rect>
            <rect
              x={i * bar + 2}
              width={bar - 4}
              y={height - (m.failures / max) * height}
              height={(m.failures / max) * height}
              fill="#b91c1c"
            />
          </g>
        ))}
      </svg>
      <div className="flex justify-between text-xs text-slate-600">
        <span>60 min ago</span>
        <span>now</span>
      </div>
    </figure>
  );
}

function timeLeft(until: number, now: number): string {
  const s = Math.max(0, Math.round((until - now) / 1000));
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

export function SecurityScreen() {
  const client = useQueryClient();
  const canLift = useCan("operator");
  const [lifting, setLifting] = useState<Suspension | null>(null);
  const query = useQuery({
    queryKey: ["security"],
    queryFn: () => apiFetch<SecurityOverview>("/api/v1/security"),
    refetchInterval: 5000,
  });
  const lift = useMutation({
    mutationFn: (source: string) =>
      apiFetch(`/api/v1/security/suspensions?source=${encodeURIComponent(source)}`, { method: "DELETE" }),
    onSuccess: async () => {
      setLifting(null);
      await client.invalidateQueries({ queryKey: ["security"] });
    },
  });
  const data = query.data;
  const gatewayLink = (username: string) => {
    const g = data?.gateways[username];
    if (!g)
      return (
        <span>
          {username} <span className="text-xs text-slate-600">(no gateway has this username)</span>
        </span>
      );
    return (
      <Link className="text-blue-800 underline" href={`/${g.kind}-gateways/${g.id}`}>
        {g.name}
      </Link>
    );
  };
  return (
    <>
      <PageHeader
        title="Security monitor"
        description="Who fails to authenticate, from where, and who is suspended for it (SS_AUTHENTICATION_MAX_RETRY failures within SS_AUTHENTICATION_FAILED_SUSPEND). Refreshed every five seconds."
      />
      {query.error && <Notice tone="error">{query.error.message}</Notice>}
      {data && (
        <>
          <FailureChart perMinute={data.perMinute} />
          <section aria-labelledby="suspended-heading" className="mb-6">
            <h2 id="suspended-heading" className="mb-2 text-lg font-semibold">
              Suspended sources
            </h2>
            {data.suspensions.length === 0 ? (
              <Notice tone="info">
                No source is suspended. A source that fails SS_AUTHENTICATION_MAX_RETRY times gets no answer at all
                until its suspension ends or is lifted here.
              </Notice>
            ) : (
              <Table
                caption="Suspended sources"
                head={
                  <tr>
                    <th className={th}>Source</th>
                    <th className={th}>Reason</th>
                    <th className={th}>Since</th>
                    <th className={th}>Time left</th>
                    <th className={th}>
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                }
              >
                {data.suspensions.map((s) => (
                  <tr key={s.source} data-testid="suspension">
                    <td className={`${td} font-mono`}>{s.source}</td>
                    <td className={td}>
                      {s.failures} failed answers to our challenge
                      {s.lastUsername && <> (last as {gatewayLink(s.lastUsername)})</>}
                    </td>
                    <td className={td}>{new Date(s.since).toLocaleTimeString()}</td>
                    <td className={td}>{timeLeft(s.until, data.now)}</td>
                    <td className={`${td} text-right`}>
                      {canLift && (
                        <Button variant="secondary" onClick={() => setLifting(s)}>
                          Lift
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </Table>
            )}
          </section>
          <div className="mb-6 grid gap-6 lg:grid-cols-2">
            <section aria-labelledby="sources-heading">
              <h2 id="sources-heading" className="mb-2 text-lg font-semibold">
                Top failing sources
              </h2>
              {data.topSources.length === 0 ? (
                <Notice tone="info">No failed authentication in the last hour.</Notice>
              ) : (
                <Table
                  caption="Top failing sources"
                  head={
                    <tr>
                      <th className={th}>Source</th>
                      <th className={th}>Failures</th>
                      <th className={th}>Last username</th>
                      <th className={th}>Last</th>
                    </tr>
                  }
                >
                  {data.topSources.map((s) => (
                    <tr key={s.address} data-testid="failing-source">
                      <td className={`${td} font-mono`}>{s.address}</td>
                      <td className={td}>{s.failures}</td>
                      <td className={td}>{s.lastUsername ?? "—"}</td>
                      <td className={td}>{new Date(s.lastAt).toLocaleTimeString()}</td>
                    </tr>
                  ))}
                </Table>
              )}
            </section>
            <section aria-labelledby="gateways-heading">
              <h2 id="gateways-heading" className="mb-2 text-lg font-semibold">
                Failures per gateway
              </h2>
              {data.byUsername.length === 0 ? (
                <Notice tone="info">No gateway account failed in the last hour.</Notice>
              ) : (
                <Table
                  caption="Failures per gateway"
                  head={
                    <tr>
                      <th className={th}>Gateway (digest username)</th>
                      <th className={th}>Failures</th>
                    </tr>
                  }
                >
                  {data.byUsername.map((u) => (
                    <tr key={u.username} data-testid="failing-gateway">
                      <td className={td}>{gatewayLink(u.username)}</td>
                      <td className={td}>{u.failures}</td>
                    </tr>
                  ))}
                </Table>
              )}
            </section>
          </div>
          <section aria-labelledby="allow-heading">
            <h2 id="allow-heading" className="mb-2 text-lg font-semibold">
              Never suspended
            </h2>
            <p className="mb-2 text-sm text-slate-700">
              Configured gateway addresses (SS_AUTH_SUSPEND_ALLOW_GATEWAYS) and the addresses in
              SS_AUTH_SUSPEND_ALLOWLIST. Their failures are still counted above. Change them under{" "}
              <Link className="text-blue-800 underline" href="/parameters">
                System parameters
              </Link>
              , then reload.
            </p>
            {data.neverSuspended.length === 0 ? (
              <Notice tone="info">No address is exempt: every source can be suspended.</Notice>
            ) : (
              <ul className="flex flex-wrap gap-2" aria-label="Addresses never suspended">
                {data.neverSuspended.map((a) => (
                  <li
                    key={`${a.from}-${a.address}`}
                    className="rounded border border-slate-300 bg-white px-2 py-0.5 font-mono text-xs"
                    data-testid="never-suspended"
                  >
                    {a.address}{" "}
                    <span className="font-sans text-slate-600">
                      ({a.from === "gateway" ? "gateway" : "allow-list"})
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
      {lifting && (
        <Dialog open title={`Lift the suspension of ${lifting.source}?`} onClose={() => setLifting(null)}>
          {lift.error && <Notice tone="error">{lift.error.message}</Notice>}
          <p className="mb-4 text-sm">
            Its requests are answered again at once and its failure count starts from zero. This is audited.
          </p>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setLifting(null)}>
              Cancel
            </Button>
            <Button disabled={lift.isPending} onClick={() => lift.mutate(lifting.source)}>
              Lift suspension
            </Button>
          </div>
        </Dialog>
      )}
    </>
  );
}
