import { z } from "zod";
import { canonicalIp } from "@/lib/domain/gateway-fields";

// Debug trace (issue 10): what an operator asks to capture, what is captured, and how a capture is
// read: messages grouped into ladders per Call-ID, challenges and retries marked, loops flagged.

const TRACE_MAX_MINUTES = 60;

export const traceStartSchema = z.object({
  minutes: z
    .number({ error: "minutes must be a number" })
    .int("minutes must be a whole number")
    .min(1, "A trace runs for at least 1 minute")
    .max(TRACE_MAX_MINUTES, `A trace runs for at most ${TRACE_MAX_MINUTES} minutes`),
  mappingGatewayId: z.string().min(1).max(100).optional(),
  routingGatewayId: z.string().min(1).max(100).optional(),
  address: z
    .string()
    .trim()
    .max(100)
    .optional()
    .refine((v) => v === undefined || v === "" || canonicalIp(v) !== null, {
      error: (i) => `"${String(i.input)}" is not an IPv4 or IPv6 address`,
    })
    .transform((v) => (v ? canonicalIp(v)! : undefined)),
  number: z
    .string()
    .trim()
    .max(40)
    .regex(/^\+?[0-9*#]*$/, "A number has digits only, with an optional leading +")
    .optional()
    .transform((v) => v || undefined),
  callId: z
    .string()
    .trim()
    .max(500)
    .optional()
    .transform((v) => v || undefined),
  method: z
    .string()
    .trim()
    .toUpperCase()
    .max(32)
    .regex(/^[A-Z]*$/, "A method is letters only, such as REGISTER or INVITE")
    .optional()
    .transform((v) => v || undefined),
});
export type TraceStart = z.infer<typeof traceStartSchema>;

/** What the collector matches: gateways already resolved to their addresses and usernames. */
export const traceFiltersSchema = z.object({
  addresses: z.array(z.string()).optional(),
  usernames: z.array(z.string()).optional(),
  address: z.string().optional(),
  number: z.string().optional(),
  callId: z.string().optional(),
  method: z.string().optional(),
});
export type TraceFilters = z.infer<typeof traceFiltersSchema>;

export const traceMessageSchema = z.object({
  id: z.number().int(),
  seq: z.number().int(),
  at: z.string(),
  direction: z.enum(["in", "out"]),
  transport: z.string(),
  remoteAddress: z.string(),
  remotePort: z.number().int(),
  method: z.string().nullable(),
  status: z.number().int().nullable(),
  cseqMethod: z.string().nullable(),
  callId: z.string().nullable(),
  text: z.string(),
});
export type TraceMessage = z.infer<typeof traceMessageSchema>;

export const traceSessionSchema = z.object({
  id: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  endsAt: z.string(),
  stoppedAt: z.string().nullable(),
  stoppedBy: z.string().nullable(),
  description: z.string(),
  active: z.boolean(),
  lost: z.number().int(),
  messageCount: z.number().int(),
  sipAddress: z.string().nullable(),
  sipPort: z.number().int().nullable(),
});
export type TraceSessionView = z.infer<typeof traceSessionSchema>;

/** The message's header block, lines unfolded (RFC 3261 §7.3.1). */
function headLines(text: string): string[] {
  const end = text.indexOf("\r\n\r\n");
  return (end < 0 ? text : text.slice(0, end)).replace(/\r\n[ \t]+/g, " ").split("\r\n");
}

function header(lines: string[], ...names: string[]): string | null {
  const wanted = names.map((n) => n.toLowerCase());
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0 && wanted.includes(line.slice(0, colon).trim().toLowerCase())) return line.slice(colon + 1).trim();
  }
  return null;
}

/** The method a response answers, from its CSeq. */
export function cseqMethodOf(text: string): string | null {
  const cseq = header(headLines(text), "CSeq");
  return cseq?.split(/\s+/)[1]?.toUpperCase() ?? null;
}

const userOf = (uri: string | null) => (uri ? (/(?:sips?|tel):([^@;>\s]+)/i.exec(uri)?.[1] ?? null) : null);

/** Who the message is about: Request-URI, From and To users, and the digest username if any. */
export function partiesOf(text: string): { users: string[]; digestUsername: string | null } {
  const lines = headLines(text);
  const first = lines[0] ?? "";
  const requestUri = first.startsWith("SIP/2.0") ? null : (first.split(" ")[1] ?? null);
  const users = [userOf(requestUri), userOf(header(lines, "From", "f")), userOf(header(lines, "To", "t"))].filter(
    (u): u is string => u !== null,
  );
  const credentials = header(lines, "Authorization", "Proxy-Authorization");
  return { users, digestUsername: credentials ? (/\busername\s*=\s*"([^"]*)"/i.exec(credentials)?.[1] ?? null) : null };
}

type Capturable = { remoteAddress: string; method: string | null; callId: string | null; text: string };

/** Whether a message belongs in a trace; every filter given must match (an empty filter matches all). */
export function matchesTrace(filters: TraceFilters, m: Capturable): boolean {
  if (filters.callId && m.callId !== filters.callId) return false;
  if (filters.address && m.remoteAddress !== filters.address) return false;
  if (filters.method && (m.method ?? cseqMethodOf(m.text)) !== filters.method) return false;
  const needsParties = filters.number || filters.addresses || filters.usernames;
  if (!needsParties) return true;
  const parties = partiesOf(m.text);
  if (filters.number && !parties.users.some((u) => u.replace(/^\+/, "").includes(filters.number!.replace(/^\+/, ""))))
    return false;
  if (filters.addresses || filters.usernames) {
    const byAddress = filters.addresses?.includes(m.remoteAddress) ?? false;
    const names = filters.usernames ?? [];
    const byName = names.some((n) => parties.digestUsername === n || parties.users.includes(n));
    if (!byAddress && !byName) return false;
  }
  return true;
}

export type DigestSummary = {
  header: string;
  username: string | null;
  realm: string | null;
  nonce: string | null;
  algorithm: string | null;
  qop: string | null;
  uri: string | null;
};

/** The credentials or challenge a message carries, field by field; never the `response` value. */
export function digestSummaryOf(text: string): DigestSummary[] {
  const names = ["Authorization", "Proxy-Authorization", "WWW-Authenticate", "Proxy-Authenticate"];
  const out: DigestSummary[] = [];
  for (const line of headLines(text).slice(1)) {
    const colon = line.indexOf(":");
    const name = names.find((n) => n.toLowerCase() === line.slice(0, colon).trim().toLowerCase());
    if (!name) continue;
    const value = line.slice(colon + 1);
    const param = (key: string) =>
      new RegExp(`\\b${key}\\s*=\\s*(?:"([^"]*)"|([^\\s,]+))`, "i")
        .exec(value)
        ?.slice(1)
        .find((v) => v !== undefined) ?? null;
    out.push({
      header: name,
      username: param("username"),
      realm: param("realm"),
      nonce: param("nonce"),
      algorithm: param("algorithm"),
      qop: param("qop"),
      uri: param("uri"),
    });
  }
  return out;
}

const hasCredentials = (text: string) => /\r\n(?:proxy-)?authorization\s*:/i.test(text);

export type LadderArrow = {
  message: TraceMessage;
  from: string;
  to: string;
  label: string;
  /** A 401/407 sent or received. */
  challenge: boolean;
  /** A request carrying Authorization or Proxy-Authorization. */
  credentials: boolean;
};

export type Ladder = {
  callId: string;
  /** Column names, the softswitch first. */
  parties: string[];
  arrows: LadderArrow[];
  challenges: number;
  retries: number;
  /** More than two challenge/retry cycles: the endpoint keeps answering and keeps being refused. */
  authLoop: boolean;
  firstLine: string;
};

const SOFTSWITCH = "Softswitch";
const AUTH_LOOP_CYCLES = 2;

const partyOf = (m: TraceMessage) =>
  m.remoteAddress.includes(":") ? `[${m.remoteAddress}]:${m.remotePort}` : `${m.remoteAddress}:${m.remotePort}`;
export const startLineOf = (text: string) => text.slice(0, Math.max(0, text.indexOf("\r\n"))) || text.slice(0, 80);

/** One ladder per Call-ID (a call leg or a registration), in order of first message. */
export function buildLadders(messages: TraceMessage[]): Ladder[] {
  const byCallId = new Map<string, TraceMessage[]>();
  for (const m of messages) {
    const key = m.callId ?? "(no Call-ID)";
    const list = byCallId.get(key) ?? [];
    list.push(m);
    byCallId.set(key, list);
  }
  return [...byCallId].map(([callId, list]) => {
    const parties = [SOFTSWITCH];
    const arrows = list.map((message) => {
      const remote = partyOf(message);
      if (!parties.includes(remote)) parties.push(remote);
      const challenge = message.status === 401 || message.status === 407;
      const credentials = message.method !== null && hasCredentials(message.text);
      const label = message.method ?? `${message.status} ${message.cseqMethod ?? ""}`.trim();
      return {
        message,
        from: message.direction === "in" ? remote : SOFTSWITCH,
        to: message.direction === "in" ? SOFTSWITCH : remote,
        label,
        challenge,
        credentials,
      };
    });
    const challenges = arrows.filter((a) => a.challenge).length;
    const retries = arrows.filter((a) => a.credentials).length;
    // A cycle is a challenge answered by a retry with credentials; a right password needs one (two with a stale nonce).
    const cycles = Math.min(challenges, retries);
    return {
      callId,
      parties,
      arrows,
      challenges,
      retries,
      authLoop: cycles > AUTH_LOOP_CYCLES,
      firstLine: startLineOf(list[0].text),
    };
  });
}

/** Plain-text export: one block per message, oldest first. */
export function traceAsText(messages: TraceMessage[], engine: string): string {
  return messages
    .map((m) => {
      const remote = partyOf(m);
      const arrow = m.direction === "in" ? `${remote} -> ${engine}` : `${engine} -> ${remote}`;
      return `#${m.seq} ${m.at} ${m.transport.toUpperCase()} ${arrow}\n${m.text.replace(/\r\n/g, "\n")}\n`;
    })
    .join("\n");
}
