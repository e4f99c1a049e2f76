"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { useMutation } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { OperatorContext, type SignedInOperator } from "@/components/shell/operator-context";
import { PendingBadge } from "@/components/shell/pending-badge";
import { Button } from "@/components/ui/button";
import { roleAllows, type Role } from "@/lib/domain/roles";

const nav: Array<{ href: string; label: string; role: Role }> = [
  { href: "/dashboard", label: "Dashboard", role: "viewer" },
  { href: "/checklist", label: "Deployment checklist", role: "viewer" },
  { href: "/reload", label: "Pending and reload", role: "viewer" },
  { href: "/history", label: "Reload history", role: "viewer" },
  { href: "/calls", label: "Current calls", role: "viewer" },
  { href: "/cdrs", label: "Call records", role: "viewer" },
  { href: "/traces", label: "Debug trace", role: "viewer" },
  { href: "/security", label: "Security monitor", role: "viewer" },
  { href: "/simulator", label: "Route simulator", role: "viewer" },
  { href: "/parameters", label: "System parameters", role: "viewer" },
  { href: "/mapping-gateways", label: "Mapping gateways", role: "viewer" },
  { href: "/routing-gateways", label: "Routing gateways", role: "viewer" },
  { href: "/audit", label: "Audit log", role: "viewer" },
  { href: "/operators", label: "Operators", role: "admin" },
  { href: "/tokens", label: "API tokens", role: "admin" },
  { href: "/api-docs", label: "REST API", role: "viewer" },
];

export function ConsoleShell({ operator, children }: { operator: SignedInOperator; children: ReactNode }) {
  const pathname = usePathname();
  const signOut = useMutation({
    mutationFn: () => apiFetch("/api/auth/session", { method: "DELETE" }),
    onSuccess: () => window.location.assign("/login"),
  });
  return (
    <OperatorContext.Provider value={operator}>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      <header className="flex items-center justify-between border-b border-slate-200 bg-white px-4 py-2">
        <Link href="/parameters" className="font-semibold text-blue-900">
          Softswitch Console
        </Link>
        <div className="flex items-center gap-3 text-sm">
          <PendingBadge />
          <span>
            {operator.username} <span className="text-slate-600">({operator.role})</span>
          </span>
          <Button variant="secondary" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
            Sign out
          </Button>
        </div>
      </header>
      <div className="flex">
        <nav
          aria-label="Main"
          className="min-h-[calc(100vh-49px)] w-52 shrink-0 border-r border-slate-200 bg-white p-3"
        >
          <ul className="space-y-1">
            {nav
              .filter((item) => roleAllows(operator.role, item.role))
              .map((item) => {
                const current = pathname.startsWith(item.href);
                return (
                  <li key={item.href}>
                    <Link
                      href={item.href}
                      aria-current={current ? "page" : undefined}
                      className={`block rounded-md px-2 py-1.5 text-sm ${current ? "bg-blue-100 font-medium text-blue-900" : "text-slate-800 hover:bg-slate-100"}`}
                    >
                      {item.label}
                    </Link>
                  </li>
                );
              })}
          </ul>
        </nav>
        <main id="main" className="min-w-0 flex-1 p-6">
          {children}
        </main>
      </div>
    </OperatorContext.Provider>
  );
}
