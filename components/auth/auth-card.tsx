import type { ReactNode } from "react";

export function AuthCard({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <p className="text-sm font-semibold text-blue-800">Softswitch Console</p>
        <h1 className="mb-2 text-xl font-semibold">{title}</h1>
        {intro && <div className="mb-4 text-sm text-slate-700">{intro}</div>}
        {children}
      </div>
    </main>
  );
}
