import { notFound } from "next/navigation";
import { Suspense } from "react";
import { GatewayDetail } from "@/components/gateways/gateway-detail";
import { RoutingGatewayForm } from "@/components/routing-gateways/routing-gateway-form";
import { TestCallPanel } from "@/components/routing-gateways/test-call-panel";
import { getRoutingGateway } from "@/lib/server/routing-gateways";

export const metadata = { title: "Routing gateway" };

export default async function RoutingGatewayPage({ params }: { params: Promise<{ id: string }> }) {
  const result = await getRoutingGateway((await params).id);
  if (!result.ok) notFound();
  return (
    <Suspense>
      <GatewayDetail resource="routing-gateways" gateway={result.value} kindLabel="routing gateway">
        <RoutingGatewayForm key={result.value.version} existing={result.value} />
        <TestCallPanel gatewayId={result.value.id} />
      </GatewayDetail>
    </Suspense>
  );
}
