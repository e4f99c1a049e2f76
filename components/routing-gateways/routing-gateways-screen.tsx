"use client";

import Link from "next/link";
import { GatewayListScreen, type Column } from "@/components/gateways/gateway-list-screen";
import { routingKindLabels, routingKinds, type RoutingGatewayView } from "@/lib/domain/routing-gateway";

const columns: Column<RoutingGatewayView>[] = [
  { header: "Name", sortKey: "name", cell: (g) => <Link className="font-medium text-blue-800 underline" href={`/routing-gateways/${g.id}`}>{g.name}</Link> },
  { header: "Kind", sortKey: "kind", cell: (g) => routingKindLabels[g.kind].split(" (")[0] },
  { header: "Address", cell: (g) => (g.address ? <code className="text-xs">{g.transport}:{g.address}:{g.port}</code> : "registered contact") },
  { header: "Prefixes", cell: (g) => <code className="text-xs">{g.prefixes.join(", ") || "all numbers"}</code> },
  { header: "Priority", sortKey: "priority", cell: (g) => g.priority },
  { header: "Capacity", sortKey: "capacity", cell: (g) => (g.capacity === 0 ? "unlimited" : g.capacity) },
  { header: "Group", cell: (g) => g.group },
  { header: "Credentials", cell: (g) => (g.authUsername ? `${g.authUsername}${g.hasPassword ? "" : " (no password!)"}` : "none") },
  { header: "Status", cell: (g) => (g.enabled ? "enabled" : "disabled") },
];

export function RoutingGatewaysScreen() {
  return (
    <GatewayListScreen
      resource="routing-gateways"
      title="Routing gateways"
      singular="routing gateway"
      description="The carriers the softswitch sends calls to, by prefix, priority and capacity, with the credentials it answers their 401/407 challenges with. Changes are pending until reload."
      columns={columns}
      filters={[
        { param: "kind", label: "Kind", options: [{ value: "", label: "All kinds" }, ...routingKinds.map((k) => ({ value: k, label: routingKindLabels[k].split(" (")[0] }))] },
        { param: "enabled", label: "Status", options: [{ value: "", label: "All" }, { value: "true", label: "Enabled" }, { value: "false", label: "Disabled" }] },
      ]}
    />
  );
}
