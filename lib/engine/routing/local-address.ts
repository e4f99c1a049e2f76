import { networkInterfaces } from "node:os";

// The address the engine puts in its Via and Contact (RFC 3261 §18.1.1, §8.1.1.8): the SIP host it
// is bound to, or, bound to every interface, the first external IPv4 address of the machine.

export function advertisedHost(bindHost: string): string {
  if (bindHost !== "0.0.0.0" && bindHost !== "::") return bindHost;
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  return "127.0.0.1";
}
