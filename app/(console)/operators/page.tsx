import { OperatorsScreen } from "@/components/operators/operators-screen";
import { Forbidden } from "@/components/ui/forbidden";
import { roleAllows } from "@/lib/domain/roles";
import { requirePageOperator } from "@/lib/server/page-auth";

export const metadata = { title: "Operators" };

export default async function OperatorsPage() {
  const operator = await requirePageOperator();
  return roleAllows(operator.role, "admin") ? <OperatorsScreen /> : <Forbidden needed="admin" />;
}
