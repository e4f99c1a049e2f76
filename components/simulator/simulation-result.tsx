import type { ReactNode } from "react";
import { Table, td, th } from "@/components/ui/table";
import { describeRewrite, type ComparedSection, type SimulationResult } from "@/lib/domain/route-simulation";

// One column of the route simulator: the running or the pending configuration's verdict, section by
// section; a section that differs from the other column is framed and says so in words.

function Part({ id, title, differs, children }: { id: string; title: string; differs: boolean; children: ReactNode }) {
  return (
    <section
      aria-labelledby={id}
      data-testid={`part-${id}`}
      data-differs={differs ? "true" : undefined}
      className={`mb-4 rounded-md border p-3 ${differs ? "border-amber-500 bg-amber-50" : "border-slate-200 bg-white"}`}
    >
      <h3 id={id} className="mb-1 flex flex-wrap items-center gap-2 text-base font-semibold">
        {title}
        {differs && (
          <span className="rounded bg-amber-200 px-1.5 py-0.5 text-xs font-medium text-amber-950">differs</span>
        )}
      </h3>
      {children}
    </section>
  );
}

const outcomeTone: Record<SimulationResult["outcome"]["kind"], string> = {
  routed: "text-green-800",
  answered: "text-green-800",
  challenged: "text-blue-800",
  refused: "text-red-800",
  silence: "text-red-800",
};

function outcomeLabel(o: SimulationResult["outcome"]): string {
  if (o.kind === "silence") return "No answer";
  if (o.kind === "routed") return "Routed";
  return `${o.status} ${o.reason}`;
}

export function SimulationColumn({
  result,
  title,
  differs,
}: {
  result: SimulationResult;
  title: string;
  differs: Set<ComparedSection>;
}) {
  const w = result.config.which;
  const id = (part: string) => `${w}-${part}`;
  return (
    <section aria-labelledby={id("heading")} data-testid={`simulation-${w}`}>
      <h2 id={id("heading")} className="text-lg font-semibold">
        {title}
      </h2>
      <p className="mb-3 text-sm text-slate-700">{result.config.text}</p>

      <Part id={id("outcome")} title="Outcome" differs={differs.has("outcome")}>
        <p className={`font-semibold ${outcomeTone[result.outcome.kind]}`} data-testid="outcome">
          {outcomeLabel(result.outcome)}
        </p>
        <p className="text-sm">{result.outcome.text}</p>
      </Part>

      <Part id={id("identification")} title="Mapping gateway" differs={differs.has("identification")}>
        <p className="text-sm">
          {result.identification.gateway ? (
            <strong>{result.identification.gateway.name}</strong>
          ) : (
            <strong>None</strong>
          )}
          {result.identification.by !== "none" && (
            <span className="text-slate-700"> (by {result.identification.by})</span>
          )}
        </p>
        <p className="text-sm">{result.identification.text}</p>
      </Part>

      <Part id={id("challenge")} title="Challenge" differs={differs.has("challenge")}>
        {result.challenge ? (
          <>
            <p className="text-sm">
              <strong>
                {result.challenge.status} with {result.challenge.header}
              </strong>
            </p>
            <p className="text-sm">{result.challenge.text}</p>
            <p className="text-sm text-slate-700">{result.challenge.modeText}</p>
          </>
        ) : (
          <p className="text-sm">Not challenged.</p>
        )}
      </Part>

      {(result.refusals.length > 0 || differs.has("refusals")) && (
        <Part id={id("refusals")} title="Refusals" differs={differs.has("refusals")}>
          {result.refusals.length === 0 ? (
            <p className="text-sm">None.</p>
          ) : (
            <ul className="list-disc pl-5 text-sm">
              {result.refusals.map((r, i) => (
                <li key={i}>{r.text}</li>
              ))}
            </ul>
          )}
        </Part>
      )}

      <Part id={id("rewrites")} title="Rewrites" differs={differs.has("rewrites")}>
        {result.rewrites === null ? (
          <p className="text-sm">No numbers are rewritten for this request.</p>
        ) : (
          <Table
            caption={`Number rewrites, ${w} configuration`}
            head={
              <tr>
                <th scope="col" className={th}>
                  Number
                </th>
                <th scope="col" className={th}>
                  As received
                </th>
                <th scope="col" className={th}>
                  Mapping gateway rule
                </th>
                <th scope="col" className={th}>
                  After it
                </th>
              </tr>
            }
          >
            {(["caller", "callee"] as const).map((k) => {
              const t = result.rewrites![k];
              return (
                <tr key={k}>
                  <th scope="row" className={`${td} font-semibold capitalize`}>
                    {k}
                  </th>
                  <td className={`${td} font-mono`}>{t.received}</td>
                  <td className={td}>{describeRewrite(t.mappingRule)}</td>
                  <td className={`${td} font-mono`}>{t.afterMapping ?? "—"}</td>
                </tr>
              );
            })}
          </Table>
        )}
      </Part>

      <Part id={id("routes")} title="Routing gateways, in order" differs={differs.has("routes")}>
        {result.routes.length === 0 ? (
          <p className="text-sm">{result.rewrites === null ? "Not routed." : "None."}</p>
        ) : (
          <Table
            caption={`Routing gateways in the order they are tried, ${w} configuration`}
            head={
              <tr>
                <th scope="col" className={th}>
                  #
                </th>
                <th scope="col" className={th}>
                  Gateway
                </th>
                <th scope="col" className={th}>
                  Why
                </th>
                <th scope="col" className={th}>
                  Sends
                </th>
              </tr>
            }
          >
            {result.routes.map((r) => (
              <tr key={r.id} data-testid="route-row">
                <td className={td}>{r.order}</td>
                <td className={td}>
                  {r.name}
                  {!r.tried && <span className="block text-xs text-slate-700">not tried (switch limit)</span>}
                </td>
                <td className={td}>
                  {r.matchedPrefix === "" ? "catch-all" : `prefix ${r.matchedPrefix}`}, priority {r.priority}, group{" "}
                  {r.group}
                </td>
                <td className={td}>
                  <span className="block">
                    callee <span className="font-mono">{r.callee}</span> ({describeRewrite(r.calleeRule)})
                  </span>
                  <span className="block">
                    caller <span className="font-mono">{r.caller}</span> ({describeRewrite(r.callerRule)})
                  </span>
                  <span className="block text-xs text-slate-700">to {r.target}</span>
                </td>
              </tr>
            ))}
          </Table>
        )}
        {result.skipped.length > 0 && (
          <>
            <h4 className="mt-3 text-sm font-semibold">Not used</h4>
            <ul className="list-disc pl-5 text-sm">
              {result.skipped.map((s) => (
                <li key={s.id}>
                  <strong>{s.name}</strong>: {s.text}
                </li>
              ))}
            </ul>
          </>
        )}
      </Part>

      <details className="rounded-md border border-slate-200 bg-white p-3">
        <summary className="cursor-pointer text-sm font-semibold">Every step, in the engine&apos;s order</summary>
        <ol className="mt-2 list-decimal pl-5 text-sm">
          {result.steps.map((s, i) => (
            <li key={i}>{s}</li>
          ))}
        </ol>
      </details>
    </section>
  );
}
