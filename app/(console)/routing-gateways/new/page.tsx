import Link from "next/link";
import { RoutingGatewayForm } from "@/components/routing-gateways/routing-gateway-form";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "New routing gateway" };

export default function NewRoutingGatewayPage() {
  return (
    <>
      <p className="mb-2 text-sm">
        <Link className="text-blue-800 underline" href="/routing-gateways">
          ← All routing gateways
        </Link>
      </p>
      <PageHeader title="New routing gateway" />
      <RoutingGatewayForm />
    </>
  );
}
