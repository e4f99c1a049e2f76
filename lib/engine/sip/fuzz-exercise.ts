// Test support: what one fuzz input must survive. Every entry point the engine calls on received
// bytes is called, and each must return a result object rather than throw.
import * as accessors from "@/lib/engine/sip/accessors";
import { classifyRequest, type Verdict } from "@/lib/engine/sip/classify";
import type { ParseResult } from "@/lib/engine/sip/framing";
import type { SipMessage } from "@/lib/engine/sip/message";
import { parseDatagram } from "@/lib/engine/sip/parser";
import { buildResponse } from "@/lib/engine/sip/response";
import { serializeMessage } from "@/lib/engine/sip/serializer";
import { frameStream } from "@/lib/engine/sip/stream-framer";
import { acceptsMediaType, unsupportedRequire } from "@/lib/engine/sip/support";

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`fuzz invariant broken: ${what}`);
}

function checkParse(parsed: ParseResult): void {
  check(
    typeof parsed === "object" && parsed !== null && typeof parsed.ok === "boolean",
    "parse returns a result object",
  );
  if (!parsed.ok)
    check(typeof parsed.reason === "string" && Array.isArray(parsed.headers), "a failure has a reason and headers");
}

function checkVerdict(verdict: Verdict): void {
  check(["process", "reject", "drop"].includes(verdict.action), "classifyRequest returns a verdict");
  if (verdict.action !== "reject") return;
  check(verdict.status === 400 || verdict.status === 416 || verdict.status === 505, "reject is 400, 416 or 505");
  // Our own answer must be a message we would accept: never a 5xx, never unparseable.
  const answer = parseDatagram(serializeMessage(buildResponse(verdict.request, verdict.status, verdict.reason)));
  check(
    answer.ok && answer.message.kind === "response" && answer.message.status === verdict.status,
    "the reject serializes and parses back",
  );
}

function touchAccessors(message: SipMessage): void {
  if (message.kind === "request") accessors.getRequestUri(message);
  accessors.getVias(message);
  accessors.getTopVia(message);
  accessors.getFrom(message);
  accessors.getTo(message);
  accessors.getCallId(message);
  accessors.getCSeq(message);
  accessors.getMaxForwards(message);
  accessors.getContacts(message);
  accessors.getExpires(message);
  accessors.getRequire(message);
  accessors.getProxyRequire(message);
  accessors.getSupported(message);
  accessors.getContentType(message);
  accessors.getAuthorizations(message);
  unsupportedRequire(message, ["100rel"]);
  acceptsMediaType(message, "application/sdp");
  const again = parseDatagram(serializeMessage(message));
  check(again.ok, "a parsed message serializes to bytes that parse");
}

export function exerciseDatagram(bytes: Buffer): void {
  const parsed = parseDatagram(bytes);
  checkParse(parsed);
  checkVerdict(classifyRequest(parsed));
  if (parsed.ok) touchAccessors(parsed.message);
}

/** Feeds `bytes` to frameStream cut at `cuts`, as a connection would, until framing ends or fails. */
export function exerciseStream(bytes: Buffer, cuts: readonly number[]): void {
  const ends = [...cuts.map((c) => c % (bytes.length + 1)), bytes.length].sort((a, b) => a - b);
  let pending = Buffer.alloc(0);
  let fed = 0;
  for (const end of ends) {
    pending = Buffer.concat([pending, bytes.subarray(fed, end)]);
    fed = Math.max(fed, end);
    for (let guard = 0; ; guard++) {
      check(guard < 10_000, "frameStream makes progress");
      const result = frameStream(pending);
      check(typeof result === "object" && result !== null, "frameStream returns a result object");
      if (result.kind === "error") return;
      if (result.kind === "need-more") {
        pending = pending.subarray(result.consumed);
        break;
      }
      check(result.consumed > 0 && result.consumed <= pending.length, "a framed message consumes bytes");
      checkParse(result.parsed);
      checkVerdict(classifyRequest(result.parsed));
      if (result.parsed.ok) touchAccessors(result.parsed.message);
      pending = pending.subarray(result.consumed);
    }
  }
}
