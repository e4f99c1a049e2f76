import { notFound } from "next/navigation";
import { Suspense } from "react";
import { GatewayDetail } from "@/components/gateways/gateway-detail";
import { MappingGatewayForm } from "@/components/mapping-gateways/mapping-gateway-form";
import { getMappingGateway } from "@/lib/server/mapping-gateways";

export const metadata = { title: "Mapping gateway" };

export default async function MappingGatewayPage({ params }: { params: Promise<{ id: string }> }) {
  const result = await getMappingGateway((await params).id);
  if (!result.ok) notFound();
  return (
    <Suspense>
      <GatewayDetail resource="mapping-gateways" gateway={result.value} kindLabel="mapping gateway">
        <MappingGatewayForm key={result.value.version} existing={result.value} />
      </GatewayDetail>
    </Suspense>
  );
}
