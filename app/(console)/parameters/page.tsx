import { Suspense } from "react";
import { ParametersScreen } from "@/components/parameters/parameters-screen";

export const metadata = { title: "System parameters" };

export default function ParametersPage() {
  return (
    <Suspense>
      <ParametersScreen />
    </Suspense>
  );
}
