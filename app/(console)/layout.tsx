import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/shell/console-shell";
import { requirePageOperator } from "@/lib/server/page-auth";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const operator = await requirePageOperator();
  return <ConsoleShell operator={{ username: operator.username, role: operator.role }}>{children}</ConsoleShell>;
}
