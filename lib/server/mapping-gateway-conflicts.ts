import { digestUsernameOf, type MappingGatewayConfig } from "@/lib/domain/mapping-gateway";

// A source address must identify one mapping gateway, and a digest username one account.
// Checked against an in-memory index so a 10,000-row import costs one read, not 10,000.

export type MappingIdentity = Pick<
  MappingGatewayConfig,
  "name" | "enabled" | "authMode" | "ipAddresses" | "port" | "authUsername"
> & { id: string };
export type UsernameOwner = { id: string; label: string };

export class MappingConflictIndex {
  private readonly ipOwners = new Map<string, MappingIdentity>();
  private readonly ipPortOwners = new Map<string, MappingIdentity>();
  private readonly usernameOwners = new Map<string, UsernameOwner>();
  private readonly names = new Map<string, string>();

  /** `otherUsernames`: digest accounts outside mapping gateways (dynamic routing gateways). */
  constructor(gateways: MappingIdentity[], otherUsernames: Array<[string, UsernameOwner]> = []) {
    for (const [username, owner] of otherUsernames) this.usernameOwners.set(username, owner);
    for (const g of gateways) this.add(g);
  }

  add(g: MappingIdentity): void {
    this.names.set(g.name.toLowerCase(), g.id);
    if (g.authMode === "password")
      this.usernameOwners.set(digestUsernameOf(g), { id: g.id, label: `mapping gateway "${g.name}"` });
    if (!g.enabled) return;
    for (const ip of g.ipAddresses) {
      if (g.authMode === "ip") this.ipOwners.set(ip, g);
      if (g.authMode === "ip-port" && g.port !== null) this.ipPortOwners.set(`${ip}|${g.port}`, g);
    }
  }

  /** Who uses a digest username now (a Password mapping gateway or a dynamic routing gateway). */
  ownerOfUsername(username: string): UsernameOwner | undefined {
    return this.usernameOwners.get(username);
  }

  /** The first conflict of `g` with another gateway, as the message an operator reads, or null. */
  conflictOf(g: MappingIdentity): { path: string; message: string } | null {
    const sameName = this.names.get(g.name.toLowerCase());
    if (sameName && sameName !== g.id)
      return { path: "name", message: `A mapping gateway named "${g.name}" already exists` };
    if (g.authMode === "password") {
      const owner = this.usernameOwners.get(digestUsernameOf(g));
      if (owner && owner.id !== g.id)
        return {
          path: "authUsername",
          message: `Digest username "${digestUsernameOf(g)}" is already used by ${owner.label}`,
        };
    }
    if (!g.enabled) return null;
    for (const ip of g.ipAddresses) {
      const owner =
        g.authMode === "ip"
          ? this.ipOwners.get(ip)
          : g.authMode === "ip-port"
            ? this.ipPortOwners.get(`${ip}|${g.port}`)
            : undefined;
      if (owner && owner.id !== g.id) {
        const where = g.authMode === "ip" ? ip : `${ip} port ${g.port}`;
        return {
          path: "ipAddresses",
          message: `Source ${where} already identifies mapping gateway "${owner.name}"; a source address must identify one gateway`,
        };
      }
    }
    return null;
  }
}
