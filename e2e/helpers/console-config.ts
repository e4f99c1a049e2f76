import { expect, type APIRequestContext } from "@playwright/test";

// Configuration through the console's REST API, as an automation script would do it.

export type ReloadJob = {
  outcome: string;
  version: number;
  reasons: string[];
  tookMs: number;
  changes: number;
  sentAs: string[];
  hash: string;
};

/** Reload softswitch and wait for the engine's verdict. */
export async function reloadConsole(api: APIRequestContext): Promise<ReloadJob> {
  const started = await api.post("/api/v1/reloads");
  expect(started.status(), await started.text()).toBe(202);
  const { id } = await started.json();
  let job = await (await api.get(`/api/v1/reloads/${id}`)).json();
  await expect
    .poll(async () => (job = await (await api.get(`/api/v1/reloads/${id}`)).json()).step, { timeout: 30_000 })
    .toBe("done");
  return job;
}

/** Saves a system parameter (pending until the next reload). */
export async function setParameter(api: APIRequestContext, name: string, value: unknown): Promise<void> {
  const current = await (await api.get(`/api/v1/parameters/${name}`)).json();
  if (current.value === value) return;
  const saved = await api.patch(`/api/v1/parameters/${name}`, { data: { value, version: current.version } });
  expect(saved.status(), await saved.text()).toBe(200);
}
