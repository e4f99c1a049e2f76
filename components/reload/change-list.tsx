import type { ConfigChange } from "@/lib/domain/config-source";

const entityLabel = {
  parameter: "Parameter",
  "mapping-gateway": "Mapping gateway",
  "routing-gateway": "Routing gateway",
};
const actionStyle = {
  added: "bg-green-100 text-green-900",
  changed: "bg-amber-100 text-amber-950",
  removed: "bg-red-100 text-red-900",
};

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "boolean") return value ? "On" : "Off";
  if (Array.isArray(value)) return value.length ? value.join(", ") : "(none)";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** A configuration diff: one line per entity, its fields as "before → after"; secrets only as changed. */
export function ChangeList({ changes, empty }: { changes: ConfigChange[]; empty: string }) {
  if (changes.length === 0) return <p className="text-sm text-slate-700">{empty}</p>;
  return (
    <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" data-testid="change-list">
      {changes.map((c) => (
        <li key={`${c.entity}-${c.id}`} className="p-3 text-sm" data-testid="change">
          <div className="flex flex-wrap items-center gap-2">
            <span className={`rounded px-1.5 py-0.5 text-xs font-semibold ${actionStyle[c.action]}`}>{c.action}</span>
            <span className="text-slate-700">{entityLabel[c.entity]}</span>
            <strong className="font-mono text-xs">{c.name}</strong>
          </div>
          {c.action === "changed" && (
            <ul className="mt-1 pl-4 font-mono text-xs">
              {c.fields.map((f) => (
                <li key={f.field}>
                  {f.field}: {show(f.from)} → {show(f.to)}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}
