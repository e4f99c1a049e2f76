"use client";

import Link from "next/link";
import { GatewayListScreen, type Column } from "@/components/gateways/gateway-list-screen";
import { mappingAuthModeLabels, mappingAuthModes, type MappingGatewayView } from "@/lib/domain/mapping-gateway";

const columns: Column<MappingGatewayView>[] = [
  { header: "Name", sortKey: "name", cell: (g) => <Link className="font-medium text-blue-800 underline" href={`/mapping-gateways/${g.id}`}>{g.name}</Link> },
  { header: "Mode", sortKey: "authMode", cell: (g) => mappingAuthModeLabels[g.authMode].split(" (")[0] },
  {
    header: "Identified by",
    cell: (g) => g.authMode === "password"
      ? <>user <code>{g.authUsername ?? g.name}</code>{g.hasPassword ? "" : " (no password!)"}</>
      : <code className="text-xs">{g.ipAddresses.join(", ")}{g.authMode === "ip-port" ? ` port ${g.port}` : ""}</code>,
  },
  { header: "Capacity", sortKey: "capacity", cell: (g) => (g.capacity === 0 ? "unlimited" : g.capacity) },
  { header: "Priority", sortKey: "priority", cell: (g) => g.priority },
  { header: "Groups", cell: (g) => g.routingGroups.join(", ") || "all" },
  { header: "Status", cell: (g) => (g.enabled ? (g.locked ? "locked" : "enabled") : "disabled") },
];

export function MappingGatewaysScreen() {
  return (
    <GatewayListScreen
      resource="mapping-gateways"
      title="Mapping gateways"
      singular="mapping gateway"
      description="Who may send the softswitch registrations and calls: identified by source IP, by IP and port, or by SIP digest password. Changes are pending until reload."
      columns={columns}
      filters={[
        { param: "authMode", label: "Mode", options: [{ value: "", label: "All modes" }, ...mappingAuthModes.map((m) => ({ value: m, label: mappingAuthModeLabels[m].split(" (")[0] }))] },
        { param: "enabled", label: "Status", options: [{ value: "", label: "All" }, { value: "true", label: "Enabled" }, { value: "false", label: "Disabled" }] },
      ]}
    />
  );
}
