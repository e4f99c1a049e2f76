import { redirect } from "next/navigation";
import { SetupForm } from "@/components/auth/setup-form";
import { isSetupOpen } from "@/lib/server/setup";

export const metadata = { title: "First start" };

export default async function SetupPage() {
  if (!(await isSetupOpen())) redirect("/login");
  return <SetupForm />;
}
