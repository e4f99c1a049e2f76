"use client";

import { useState } from "react";
import { DoctorPanel } from "@/components/doctor/doctor-panel";
import { buildLadders, digestSummaryOf, type Ladder, type LadderArrow, type TraceMessage } from "@/lib/domain/trace";

// Ladder diagrams (issue 10): one column per party, arrows in time order, challenges and retries
// with credentials marked, authentication loops flagged; clicking an arrow shows the raw message.

function ArrowRow({
  arrow,
  columns,
  index,
  selected,
  onSelect,
}: {
  arrow: LadderArrow;
  columns: string[];
  index: number;
  selected: boolean;
  onSelect: () => void;
}) {
  const from = columns.indexOf(arrow.from);
  const to = columns.indexOf(arrow.to);
  const [left, right] = [Math.min(from, to), Math.max(from, to)];
  const rightward = to > from;
  const tone = arrow.challenge
    ? "border-amber-600 text-amber-900 bg-amber-50"
    : arrow.credentials
      ? "border-blue-700 text-blue-900 bg-blue-50"
      : "border-slate-500 text-slate-900";
  const kind = arrow.challenge ? "challenge" : arrow.credentials ? "with credentials" : "";
  return (
    <li
      className="grid items-center"
      style={{ gridTemplateColumns: `repeat(${columns.length}, minmax(8rem, 1fr))` }}
      data-testid="ladder-arrow"
      data-kind={kind || "plain"}
    >
      <button
        type="button"
        onClick={onSelect}
        aria-pressed={selected}
        className={`relative my-1 border-b-2 px-1 pb-0.5 text-center text-xs font-medium ${tone} ${selected ? "ring-2 ring-blue-600" : ""}`}
        style={{
          gridColumn: `${left + 1} / ${right + 2}`,
          marginLeft: `calc(50% / ${right - left + 1})`,
          marginRight: `calc(50% / ${right - left + 1})`,
        }}
      >
        <span className="sr-only">{index + 1}. </span>
        <span aria-hidden="true">{rightward ? "" : "◀ "}</span>
        {arrow.label}{" "}
        {arrow.credentials && <span className="ml-1 rounded bg-blue-700 px-1 text-[10px] text-white">credentials</span>}
        <span aria-hidden="true">{rightward ? " ▶" : ""}</span>
        <span className="sr-only">
          {" "}
          from {arrow.from} to {arrow.to}
          {kind ? `, ${kind}` : ""}
        </span>
        <span className="block text-[10px] font-normal text-slate-600">
          {new Date(arrow.message.at).toLocaleTimeString(undefined, {
            hour: "2-digit",
            minute: "2-digit",
            second: "2-digit",
            hour12: false,
            fractionalSecondDigits: 3,
          } as Intl.DateTimeFormatOptions)}
        </span>
      </button>
    </li>
  );
}

export function MessageDetail({ message }: { message: TraceMessage }) {
  const digests = digestSummaryOf(message.text);
  return (
    <section
      aria-label="Message detail"
      className="mt-3 rounded-lg border border-slate-300 bg-white p-3"
      data-testid="message-detail"
    >
      <h3 className="mb-2 text-sm font-semibold">
        #{message.seq} {message.direction === "in" ? "received from" : "sent to"} {message.remoteAddress}:
        {message.remotePort} over {message.transport.toUpperCase()} at {new Date(message.at).toLocaleTimeString()}
      </h3>
      {digests.length > 0 && (
        <dl className="mb-2 grid grid-cols-[auto_1fr] gap-x-3 text-xs" data-testid="digest-summary">
          {digests.map((d, i) => (
            <div key={i} className="contents">
              <dt className="font-semibold">{d.header}</dt>
              <dd>
                {d.username !== null && (
                  <>
                    username <code>{d.username}</code> ·{" "}
                  </>
                )}
                realm <code>{d.realm ?? "—"}</code> · nonce <code>{d.nonce ?? "—"}</code> · algorithm{" "}
                <code>{d.algorithm ?? "MD5 (default)"}</code> · qop <code>{d.qop ?? "none"}</code>
              </dd>
            </div>
          ))}
        </dl>
      )}
      <pre
        className="max-h-96 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-900 p-2 text-xs text-slate-100"
        data-testid="raw-message"
      >
        {message.text}
      </pre>
      <p className="mt-1 text-xs text-slate-600">
        Digest response values are masked by the engine when it captures a message; they never leave it.
      </p>
    </section>
  );
}

function LadderView({ ladder, doctor }: { ladder: Ladder; doctor: boolean }) {
  const [selected, setSelected] = useState<number | null>(null);
  const cycles = Math.min(ladder.challenges, ladder.retries);
  return (
    <article
      className={`mb-4 rounded-lg border bg-white p-3 ${ladder.authLoop ? "border-red-500" : "border-slate-200"}`}
      data-testid="ladder"
      data-call-id={ladder.callId}
    >
      <h3 className="text-sm font-semibold">{ladder.firstLine}</h3>
      <p className="text-xs text-slate-700">
        Call-ID <code>{ladder.callId}</code> · {ladder.arrows.length} messages · {ladder.challenges} challenge(s),{" "}
        {ladder.retries} retry(ies) with credentials
      </p>
      {ladder.authLoop && (
        <p
          role="alert"
          className="mt-2 rounded border border-red-300 bg-red-50 px-2 py-1 text-sm font-semibold text-red-900"
          data-testid="auth-loop"
        >
          Authentication loop: {cycles} challenge/retry cycles. The endpoint keeps answering with credentials that are
          refused: check its password and realm.
        </p>
      )}
      <div className="mt-2 overflow-x-auto">
        <div
          className="grid text-center text-xs font-semibold"
          style={{ gridTemplateColumns: `repeat(${ladder.parties.length}, minmax(8rem, 1fr))` }}
        >
          {ladder.parties.map((p) => (
            <div key={p} className="border-b border-slate-300 pb-1">
              {p}
            </div>
          ))}
        </div>
        <ol aria-label={`Messages of ${ladder.callId}`}>
          {ladder.arrows.map((a, i) => (
            <ArrowRow
              key={a.message.id}
              arrow={a}
              columns={ladder.parties}
              index={i}
              selected={selected === i}
              onSelect={() => setSelected(selected === i ? null : i)}
            />
          ))}
        </ol>
      </div>
      {selected !== null && ladder.arrows[selected] && <MessageDetail message={ladder.arrows[selected].message} />}
      {doctor && ladder.callId !== "(no Call-ID)" && (
        <div className="mt-2">
          <DoctorPanel query={{ callId: ladder.callId }} />
        </div>
      )}
    </article>
  );
}

/** `doctor`: an "Ask the auth doctor" button under each ladder. */
export function Ladders({ messages, doctor = true }: { messages: TraceMessage[]; doctor?: boolean }) {
  const ladders = buildLadders(messages);
  if (ladders.length === 0) return null;
  return (
    <section aria-label="Ladder diagrams">
      <h2 className="mb-2 text-lg font-semibold">Ladder diagrams</h2>
      <p className="mb-2 text-xs text-slate-700">
        <span className="rounded bg-amber-50 px-1 text-amber-900">Amber</span>: a 401/407 challenge.{" "}
        <span className="rounded bg-blue-50 px-1 text-blue-900">Blue</span>: a request retried with credentials. A red
        frame marks an authentication loop (more than two challenge/retry cycles). Select an arrow to read the message.
      </p>
      {ladders.map((l) => (
        <LadderView key={l.callId} ladder={l} doctor={doctor} />
      ))}
    </section>
  );
}
