import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { readSession, SESSION_COOKIE } from "@/lib/server/sessions";

/** The signed-in operator for a page, or a redirect to the sign-in page. */
export async function requirePageOperator() {
  const store = await cookies();
  const session = await readSession(store.get(SESSION_COOKIE)?.value);
  if (!session) redirect("/login");
  return session;
}
