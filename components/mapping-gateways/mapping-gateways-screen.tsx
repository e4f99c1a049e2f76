"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/api-client";
import { GatewayListScreen, type Column } from "@/components/gateways/gateway-list-screen";
import { CallStatsCell, useCallStats } from "@/components/gateways/call-stats";
import { mappingAuthModeLabels, mappingAuthModes, type MappingGatewayView } from "@/lib/domain/mapping-gateway";

type Registration = { gatewayId: string; contact: string; source: string; expiresAt: string; expired: boolean };
type Online = { items: Registration[]; lastSeen: Record<string, { at: string; source: string }> };

/** Password gateways are online while they hold a registration; IP gateways show when they last sent a request. */
function onlineCell(g: MappingGatewayView, online: Online | undefined) {
  if (!online) return "…";
  if (g.authMode !== "password") {
    const seen = online.lastSeen[g.id];
    return seen ? (
      <span className="text-xs">
        last seen {new Date(seen.at).toLocaleTimeString()} from {seen.source.split(":").slice(1).join(":")}
      </span>
    ) : (
      <span className="text-slate-700">not seen</span>
    );
  }
  const mine = online.items.filter((r) => r.gatewayId === g.id && !r.expired);
  if (mine.length === 0) return <span className="text-slate-700">offline</span>;
  return (
    <span title={mine.map((r) => `${r.contact} from ${r.source}`).join("\n")}>
      <span className="font-medium text-green-800">online</span>{" "}
      <span className="text-xs">
        {mine[0].source.split(":").slice(1).join(":")} until {new Date(mine[0].expiresAt).toLocaleTimeString()}
      </span>
    </span>
  );
}

const columns: Column<MappingGatewayView>[] = [
  {
    header: "Name",
    sortKey: "name",
    cell: (g) => (
      <Link className="font-medium text-blue-800 underline" href={`/mapping-gateways/${g.id}`}>
        {g.name}
      </Link>
    ),
  },
  { header: "Mode", sortKey: "authMode", cell: (g) => mappingAuthModeLabels[g.authMode].split(" (")[0] },
  {
    header: "Identified by",
    cell: (g) =>
      g.authMode === "password" ? (
        <>
          user <code>{g.authUsername ?? g.name}</code>
          {g.hasPassword ? "" : " (no password!)"}
        </>
      ) : (
        <code className="text-xs">
          {g.ipAddresses.join(", ")}
          {g.authMode === "ip-port" ? ` port ${g.port}` : ""}
        </code>
      ),
  },
  { header: "Capacity", sortKey: "capacity", cell: (g) => (g.capacity === 0 ? "unlimited" : g.capacity) },
  { header: "Priority", sortKey: "priority", cell: (g) => g.priority },
  { header: "Groups", cell: (g) => g.routingGroups.join(", ") || "all" },
  { header: "Status", cell: (g) => (g.enabled ? (g.locked ? "locked" : "enabled") : "disabled") },
];

export function MappingGatewaysScreen() {
  const registrations = useQuery({
    queryKey: ["registrations"],
    queryFn: () => apiFetch<Online>("/api/v1/registrations?limit=5000"),
    refetchInterval: 10_000,
    retry: false,
  });
  const stats = useCallStats();
  const withOnline: Column<MappingGatewayView>[] = [
    ...columns.slice(0, 3),
    { header: "Online", cell: (g) => onlineCell(g, registrations.data) },
    {
      header: "Calls",
      cell: (g) => <CallStatsCell id={g.id} capacity={g.capacity} stats={stats.data} kind="mapping" />,
    },
    ...columns.slice(3),
  ];
  return (
    <GatewayListScreen
      resource="mapping-gateways"
      title="Mapping gateways"
      singular="mapping gateway"
      description="Who may send the softswitch registrations and calls: identified by source IP, by IP and port, or by SIP digest password. Changes are pending until reload."
      columns={withOnline}
      filters={[
        {
          param: "authMode",
          label: "Mode",
          options: [
            { value: "", label: "All modes" },
            ...mappingAuthModes.map((m) => ({ value: m, label: mappingAuthModeLabels[m].split(" (")[0] })),
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
