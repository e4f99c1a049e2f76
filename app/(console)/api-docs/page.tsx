import { ApiDocsScreen } from "@/components/api-docs/api-docs-screen";

export const metadata = { title: "REST API" };

export default function ApiDocsPage() {
  return <ApiDocsScreen />;
}
