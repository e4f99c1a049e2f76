import type { Role } from "@/lib/domain/roles";

/** Who is making a request: a signed-in operator or an API token. */
export type Principal =
  | { kind: "session"; operatorId: string; username: string; role: Role; sessionId: string }
  | { kind: "token"; tokenId: string; name: string; role: Role; operatorId: string }
  | { kind: "cli"; name: string; role: "admin" };

export type Actor = { actor: string; via: "ui" | "api-token" | "cli" | "system" };

export function actorOf(principal: Principal): Actor {
  if (principal.kind === "session") return { actor: principal.username, via: "ui" };
  if (principal.kind === "token") return { actor: `token:${principal.name}`, via: "api-token" };
  return { actor: principal.name, via: "cli" };
}

export const systemActor: Actor = { actor: "system", via: "system" };
