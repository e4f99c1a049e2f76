import { z } from "zod";

export const roles = ["viewer", "operator", "admin"] as const;
export const roleSchema = z.enum(roles, { error: "role must be admin, operator or viewer" });
export type Role = z.infer<typeof roleSchema>;

/** admin > operator > viewer: a role may do everything the lower ones may. */
export function roleAllows(role: Role, needed: Role): boolean {
  return roles.indexOf(role) >= roles.indexOf(needed);
}

/** The lesser of two roles: a token acts with at most its operator's current role. */
export function lowerRole(a: Role, b: Role): Role {
  return roles.indexOf(a) <= roles.indexOf(b) ? a : b;
}
