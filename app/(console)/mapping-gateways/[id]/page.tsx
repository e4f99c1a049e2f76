import { notFound } from "next/navigation";
import { Suspense } from "react";
import { DoctorPanel } from "@/components/doctor/doctor-panel";
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
        <section aria-labelledby="doctor-heading" className="mt-6">
          <h2 id="doctor-heading" className="mb-2 text-lg font-semibold">
            Registration or calls failing?
          </h2>
          <p className="mb-2 text-sm text-slate-700">
            The auth doctor reads this gateway&apos;s recent messages and names the cause.
          </p>
          <DoctorPanel query={{ gatewayId: result.value.id }} label="Diagnose this gateway" />
        </section>
      </GatewayDetail>
    </Suspense>
  );
}
