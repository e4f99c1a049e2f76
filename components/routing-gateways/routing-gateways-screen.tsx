"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { GatewayListScreen, type Column } from "@/components/gateways/gateway-list-screen";
import { CallStatsCell, useCallStats } from "@/components/gateways/call-stats";
import type { CarrierStatus } from "@/lib/domain/control-api";
import { routingKindLabels, routingKinds, type RoutingGatewayView } from "@/lib/domain/routing-gateway";

const columns: Column<RoutingGatewayView>[] = [
  {
    header: "Name",
    sortKey: "name",
    cell: (g) => (
      <Link className="font-medium text-blue-800 underline" href={`/routing-gateways/${g.id}`}>
        {g.name}
      </Link>
    ),
  },
  { header: "Kind", sortKey: "kind", cell: (g) => routingKindLabels[g.kind].split(" (")[0] },
  {
    header: "Address",
    cell: (g) =>
      g.address ? (
        <code className="text-xs">
          {g.transport}:{g.address}:{g.port}
        </code>
      ) : (
        "registered contact"
      ),
  },
  { header: "Prefixes", cell: (g) => <code className="text-xs">{g.prefixes.join(", ") || "all numbers"}</code> },
  { header: "Priority", sortKey: "priority", cell: (g) => g.priority },
  { header: "Capacity", sortKey: "capacity", cell: (g) => (g.capacity === 0 ? "unlimited" : g.capacity) },
  { header: "Group", cell: (g) => g.group },
  {
    header: "Credentials",
    cell: (g) => (g.authUsername ? `${g.authUsername}${g.hasPassword ? "" : " (no password!)"}` : "none"),
  },
  { header: "Status", cell: (g) => (g.enabled ? "enabled" : "disabled") },
];

/** Register-out: registered, or failed with the carrier's last code and reason; static: reachable or not (OPTIONS). */
function stateCell(g: RoutingGatewayView, status: CarrierStatus | undefined) {
  if (!status) return "…";
  const registration = status.registrations.find((r) => r.gatewayId === g.id);
  if (registration) {
    return registration.state === "registered" ? (
      <span className="font-medium text-green-800">registered</span>
    ) : (
      <span className={registration.state === "failed" ? "font-medium text-red-800" : ""}>
        {registration.state}
        {registration.lastCode ? ` (${registration.lastCode} ${registration.lastReason})` : ""}
      </span>
    );
  }
  const health = status.health.find((h) => h.gatewayId === g.id);
  if (health)
    return health.state === "reachable" ? (
      <span className="text-green-800">reachable</span>
    ) : (
      <span className={health.state === "unreachable" ? "font-medium text-red-800" : ""}>{health.state}</span>
    );
  return <span className="text-slate-700">{g.enabled ? "—" : "disabled"}</span>;
}

export function RoutingGatewaysScreen() {
  const status = useQuery({
    queryKey: ["carriers"],
    queryFn: () => apiFetch<CarrierStatus>("/api/v1/carriers"),
    refetchInterval: 10_000,
    retry: false,
  });
  const stats = useCallStats();
  const withState: Column<RoutingGatewayView>[] = [
    ...columns.slice(0, 3),
    { header: "State", cell: (g) => stateCell(g, status.data) },
    {
      header: "Calls",
      cell: (g) => <CallStatsCell id={g.id} capacity={g.capacity} stats={stats.data} kind="routing" />,
    },
    ...columns.slice(3),
  ];
  return (
    <GatewayListScreen
      resource="routing-gateways"
      title="Routing gateways"
      singular="routing gateway"
      description="The carriers the softswitch sends calls to, by prefix, priority and capacity, with the credentials it answers their 401/407 challenges with. Changes are pending until reload."
      columns={withState}
      filters={[
        {
          param: "kind",
          label: "Kind",
          options: [
            { value: "", label: "All kinds" },
            ...routingKinds.map((k) => ({ value: k, label: routingKindLabels[k].split(" (")[0] })),
          ],
        },
        {
          param: "enabled",
          label: "Status",
          options: [
            { value: "", label: "All" },
            { value: "true", label: "Enabled" },
            { value: "false", label: "Disabled" },
          ],
        },
      ]}
    />
  );
}
