import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { isSetupOpen } from "@/lib/server/setup";

export const metadata = { title: "Sign in" };

export default async function LoginPage() {
  if (await isSetupOpen()) redirect("/setup");
  return <SignInForm />;
}
