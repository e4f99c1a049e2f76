import { TokensScreen } from "@/components/tokens/tokens-screen";
import { Forbidden } from "@/components/ui/forbidden";
import { roleAllows } from "@/lib/domain/roles";
import { requirePageOperator } from "@/lib/server/page-auth";

export const metadata = { title: "API tokens" };

export default async function TokensPage() {
  const operator = await requirePageOperator();
  return roleAllows(operator.role, "admin") ? <TokensScreen /> : <Forbidden needed="admin" />;
}
