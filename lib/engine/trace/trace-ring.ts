import type { TraceQuery, TraceRecord } from "@/lib/domain/control-api";
import type { Remote } from "@/lib/engine/transport/remote";

// Every message in and out, in a fixed-size ring: old records are overwritten, memory stays bounded.
// Capture stores the bytes as they are (no copy) unless a digest response must be masked first.

type Slot = {
  seq: number;
  at: number;
  direction: "in" | "out";
  remote: Remote;
  method: string | null;
  status: number | null;
  callId: string | null;
  bytes: Buffer;
};

const LOWER = Buffer.from("esponse", "latin1");
const UPPER = Buffer.from("ESPONSE", "latin1");
// RFC 7616 §3.4: the response value proves the password; it never leaves the engine.
const MASK = /(\b(?:proxy-)?authorization\s*:[^\r\n]*?\bresponse\s*=\s*)("[^"]*"|[^\s,;\r\n]+)/gi;

export function maskDigestResponses(bytes: Buffer): Buffer {
  if (bytes.indexOf(LOWER) < 0 && bytes.indexOf(UPPER) < 0) return bytes;
  return Buffer.from(bytes.toString("latin1").replace(MASK, '$1"***"'), "latin1");
}

export class TraceRing {
  private readonly slots: Array<Slot | undefined>;
  private next = 0;
  private seq = 0;

  constructor(readonly capacity: number) {
    this.slots = new Array(capacity);
  }

  capture(
    direction: "in" | "out",
    remote: Remote,
    bytes: Buffer,
    meta: { method: string | null; status: number | null; callId: string | null },
    at: number,
  ): void {
    this.slots[this.next] = { seq: ++this.seq, at, direction, remote, bytes: maskDigestResponses(bytes), ...meta };
    this.next = (this.next + 1) % this.capacity;
  }

  get size(): number {
    return Math.min(this.seq, this.capacity);
  }

  /** Oldest first; filters by remote address, Call-ID and method (requests and their responses). */
  query(q: TraceQuery): TraceRecord[] {
    const out: TraceRecord[] = [];
    const method = q.method?.toUpperCase();
    for (let i = 0; i < this.capacity; i++) {
      const slot = this.slots[(this.next + i) % this.capacity];
      if (!slot || (q.sinceSeq !== undefined && slot.seq <= q.sinceSeq)) continue;
      if (q.address && slot.remote.address !== q.address) continue;
      if (q.callId && slot.callId !== q.callId) continue;
      if (method && slot.method !== method) continue;
      out.push({
        seq: slot.seq,
        at: new Date(slot.at).toISOString(),
        direction: slot.direction,
        transport: slot.remote.transport,
        remoteAddress: slot.remote.address,
        remotePort: slot.remote.port,
        method: slot.method,
        status: slot.status,
        callId: slot.callId,
        text: slot.bytes.toString("latin1"),
      });
    }
    return out.slice(-q.limit);
  }
}
