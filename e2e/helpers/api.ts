import { expect, request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import { ADMIN, baseURL } from "./env";

/** An API client signed in with a session cookie, sending the console's own Origin like a browser. */
export async function sessionClient(username = ADMIN.username, password = ADMIN.password): Promise<APIRequestContext> {
  const client = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
  const response = await client.post("/api/auth/session", { data: { username, password } });
  expect(response.status(), await response.text()).toBe(200);
  return client;
}

/** An API client that authenticates with a bearer token and no cookie. */
export function tokenClient(token: string): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
}

export async function createToken(
  admin: APIRequestContext,
  name: string,
  role: "admin" | "operator" | "viewer",
): Promise<string> {
  const response = await admin.post("/api/v1/tokens", { data: { name, role } });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()).token;
}

export async function createOperator(
  admin: APIRequestContext,
  username: string,
  role: "admin" | "operator" | "viewer",
  password = "a-long-enough-password",
) {
  const response = await admin.post("/api/v1/operators", { data: { username, role, password } });
  expect(response.status(), await response.text()).toBe(201);
  return response.json();
}
