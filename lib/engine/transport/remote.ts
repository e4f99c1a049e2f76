export type TransportName = "udp" | "tcp";

/** Where a message came from, or goes to. `connectionId` names a TCP connection to answer on. */
export interface Remote {
  readonly transport: TransportName;
  readonly address: string;
  readonly port: number;
  readonly connectionId?: number;
}

/** Sends bytes; never throws (a closed connection or an unreachable address is logged and counted). */
export type SendBytes = (bytes: Buffer, to: Remote) => void;
