import type { Remote, TransportName } from "@/lib/engine/transport/remote";

/** A binding as the registrar hands it out (lookup, list, persistence). Times in ms. */
export interface BindingView {
  /** Whose binding: the mapping gateway's id (later also a dynamic routing gateway's). */
  readonly accountId: string;
  /** The Contact URI byte for byte as received, URI parameters and escaped headers included. */
  readonly uri: string;
  readonly callId: string;
  readonly cseq: number;
  /** Where the REGISTER came from (the address behind any NAT). */
  readonly source: Remote;
  /** The q contact parameter, null when absent. */
  readonly q: number | null;
  readonly userAgent: string | null;
  /** When this Call-ID first registered this contact. */
  readonly registeredAt: number;
  readonly expiresAt: number;
  /** expiresAt plus the grace (SS_ENDPOINTTIMETOLIVE): the binding is gone from this instant. */
  readonly removeAt: number;
  /** True between expiresAt and removeAt: still reachable, but the UA missed its refresh. */
  readonly expired: boolean;
}

/** What restoring a binding needs: everything but the derived flag. */
export type StoredBinding = Omit<BindingView, "expired">;

// V8 keeps a header value as a slice of the whole decoded header section: a binding holding it
// would hold every REGISTER's head for its lifetime. Short strings are copies already.
export function detach(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, "utf8").toString("utf8");
}

/**
 * One binding in memory: one flat object (the source inlined, times as plain numbers) so that
 * 100,000 bindings stay a few tens of megabytes. Fields are assigned in the same order always.
 */
export class BindingRecord {
  constructor(
    readonly accountId: string,
    public uri: string,
    public callId: string,
    public cseq: number,
    public transport: TransportName,
    public address: string,
    public port: number,
    public connectionId: number | undefined,
    public q: number | null,
    public userAgent: string | null,
    public registeredAt: number,
    public expiresAt: number,
    public graceMs: number,
  ) {}

  removeAt(): number {
    return this.expiresAt + this.graceMs;
  }

  setSource(source: Remote): void {
    if (this.address !== source.address) this.address = detach(source.address);
    this.transport = source.transport;
    this.port = source.port;
    this.connectionId = source.connectionId;
  }

  view(now: number): BindingView {
    const source: Remote =
      this.connectionId === undefined
        ? { transport: this.transport, address: this.address, port: this.port }
        : { transport: this.transport, address: this.address, port: this.port, connectionId: this.connectionId };
    return {
      accountId: this.accountId,
      uri: this.uri,
      callId: this.callId,
      cseq: this.cseq,
      source,
      q: this.q,
      userAgent: this.userAgent,
      registeredAt: this.registeredAt,
      expiresAt: this.expiresAt,
      removeAt: this.removeAt(),
      expired: now >= this.expiresAt,
    };
  }
}

/** A binding as kept across a restart: its TCP connection does not outlive the process. */
export function storedOf(b: BindingRecord): StoredBinding {
  return {
    accountId: b.accountId,
    uri: b.uri,
    callId: b.callId,
    cseq: b.cseq,
    source: { transport: b.transport, address: b.address, port: b.port },
    q: b.q,
    userAgent: b.userAgent,
    registeredAt: b.registeredAt,
    expiresAt: b.expiresAt,
    removeAt: b.removeAt(),
  };
}

export function recordFromStored(b: StoredBinding): BindingRecord {
  const s = b.source;
  return new BindingRecord(
    b.accountId,
    b.uri,
    b.callId,
    b.cseq,
    s.transport,
    s.address,
    s.port,
    s.connectionId,
    b.q,
    b.userAgent,
    b.registeredAt,
    b.expiresAt,
    b.removeAt - b.expiresAt,
  );
}
