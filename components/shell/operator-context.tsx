"use client";

import { createContext, useContext } from "react";
import { roleAllows, type Role } from "@/lib/domain/roles";

export type SignedInOperator = { username: string; role: Role };

export const OperatorContext = createContext<SignedInOperator | null>(null);

export function useOperator(): SignedInOperator {
  const operator = useContext(OperatorContext);
  if (!operator) throw new Error("useOperator outside the console shell");
  return operator;
}

/** Edit controls show only to roles that may use them; the server enforces it regardless. */
export function useCan(role: Role): boolean {
  return roleAllows(useOperator().role, role);
}
