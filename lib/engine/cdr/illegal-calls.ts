import type { Clock } from "@/lib/engine/clock";
import { getCallId, getCSeq, getTo } from "@/lib/engine/sip/accessors";
import type { SipRequest } from "@/lib/engine/sip/message";
import type { Remote } from "@/lib/engine/transport/remote";
import { recordOfRefusal, type CdrSink } from "@/lib/engine/cdr/call-record";

// SERVER_BILLING_RECORD_ILLEGAL_CALL (issue 9): an INVITE refused for authentication (a stranger's
// 403 or silence, a suspended source, a failed digest answer) gets a record marked illegal. A
// request we do not answer is retransmitted by its sender (RFC 3261 §17.1.1.2, Timer A for up to
// 64*T1), each copy in a new server transaction: one record per Call-ID and CSeq in that window.

const WINDOW_MS = 64 * 500;
const MAX_REMEMBERED = 4096;

export type IllegalCallSettings = () => { readonly enabled: boolean; readonly configVersion: number };

export class IllegalCallRecorder {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly sink: CdrSink,
    private readonly settings: IllegalCallSettings,
  ) {}

  /** `code` is what the sender got: 0 when it got nothing at all. */
  refused(request: SipRequest, from: Remote, code: number, reason: string): void {
    if (request.method !== "INVITE" || getTo(request)?.tag != null) return;
    const { enabled, configVersion } = this.settings();
    if (!enabled) return;
    const now = this.clock.now();
    const key = `${getCallId(request) ?? ""}\n${getCSeq(request)?.number ?? ""}`;
    const at = this.seen.get(key);
    if (at !== undefined && now - at < WINDOW_MS) return;
    this.remember(key, now);
    this.sink.write(recordOfRefusal(request, from, now, { code, reason, illegal: true, configVersion }));
  }

  private remember(key: string, now: number): void {
    this.seen.delete(key);
    this.seen.set(key, now);
    // Insertion order is age order: the oldest go first once the window or the cap is passed
    for (const [old, at] of this.seen) {
      if (this.seen.size <= MAX_REMEMBERED && now - at < WINDOW_MS) break;
      this.seen.delete(old);
    }
  }
}
