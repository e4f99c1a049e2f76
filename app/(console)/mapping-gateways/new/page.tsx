import Link from "next/link";
import { MappingGatewayForm } from "@/components/mapping-gateways/mapping-gateway-form";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "New mapping gateway" };

export default function NewMappingGatewayPage() {
  return (
    <>
      <p className="mb-2 text-sm">
        <Link className="text-blue-800 underline" href="/mapping-gateways">
          ← All mapping gateways
        </Link>
      </p>
      <PageHeader title="New mapping gateway" />
      <MappingGatewayForm />
    </>
  );
}
