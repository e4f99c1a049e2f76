import type { ConfigSnapshot } from "@/lib/domain/config-snapshot";

/**
 * Rules that span gateways, checked by the console before a reload and by the engine before it
 * applies a snapshot: the engine never runs an ambiguous configuration.
 */
export function crossEntityReasons(s: Pick<ConfigSnapshot, "mappingGateways" | "routingGateways">): string[] {
  const reasons: string[] = [];
  const sources = new Map<string, string>();
  const usernames = new Map<string, string>();
  for (const g of s.mappingGateways) {
    if (g.authMode === "password") {
      const other = usernames.get(g.digestUsername);
      if (other)
        reasons.push(`mapping gateways "${other}" and "${g.name}" share the digest username "${g.digestUsername}"`);
      usernames.set(g.digestUsername, g.name);
      if (g.ha1Md5 === null) reasons.push(`mapping gateway "${g.name}" is in Password mode without a password`);
    }
    if (!g.enabled || g.authMode === "password") continue;
    for (const ip of g.ipAddresses) {
      const key = g.authMode === "ip" ? ip : `${ip} port ${g.port}`;
      const other = sources.get(`${g.authMode}|${key}`);
      if (other) reasons.push(`mapping gateways "${other}" and "${g.name}" both claim source ${key}`);
      sources.set(`${g.authMode}|${key}`, g.name);
    }
  }
  for (const r of s.routingGateways) {
    if (r.kind === "dynamic" && r.authUsername && usernames.has(r.authUsername)) {
      reasons.push(
        `dynamic routing gateway "${r.name}" uses the digest username "${r.authUsername}" of mapping gateway "${usernames.get(r.authUsername)}"`,
      );
    }
  }
  return reasons;
}
