// Method, status and Call-ID of a message the engine is sending, read from its own bytes (it wrote
// them, so they are well formed) without a full parse: the trace needs them to filter by Call-ID.

export type WireMeta = { method: string | null; status: number | null; callId: string | null };

const CALL_ID = /\r\n(?:call-id|i)[ \t]*:[ \t]*([^\r\n]+)/i;

export function wireMetaOf(bytes: Buffer): WireMeta {
  const headEnd = bytes.indexOf("\r\n\r\n", 0, "latin1");
  const head = bytes.toString("latin1", 0, headEnd < 0 ? Math.min(bytes.length, 8192) : headEnd);
  const firstLineEnd = head.indexOf("\r\n");
  const first = firstLineEnd < 0 ? head : head.slice(0, firstLineEnd);
  const callId = CALL_ID.exec(head)?.[1].trim() ?? null;
  if (first.startsWith("SIP/2.0 ")) return { method: null, status: Number(first.slice(8, 11)) || null, callId };
  const space = first.indexOf(" ");
  return { method: space > 0 ? first.slice(0, space) : null, status: null, callId };
}
