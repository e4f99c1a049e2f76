import type { ApiError } from "@/lib/domain/api-error";

/** A refused API call, carrying the server's one error shape. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiError,
  ) {
    super(error.message);
  }
  fieldError(path: string): string | undefined {
    return this.error.issues?.find((i) => i.path === path)?.message;
  }
}

/** `body` is sent as JSON; `csv` as text/csv. */
export async function apiFetch<T>(
  path: string,
  init: { method?: string; body?: unknown; csv?: string } = {},
): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? "GET",
    headers:
      init.csv !== undefined
        ? { "Content-Type": "text/csv" }
        : init.body === undefined
          ? undefined
          : { "Content-Type": "application/json" },
    body: init.csv ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
    credentials: "same-origin",
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error: ApiError = data?.error ?? { code: "rejected", message: `The server answered ${response.status}` };
    if (response.status === 401 && typeof window !== "undefined" && !path.startsWith("/api/auth/")) {
      window.location.assign("/login");
    }
    throw new ApiRequestError(response.status, error);
  }
  return data as T;
}
