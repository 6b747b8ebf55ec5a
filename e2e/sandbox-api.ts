import { e2eEnv } from "./env";

/**
 * A request to the e2e stack's sandbox, as a spec's or benchmark's setup makes it: its emulated cloud
 * APIs (MLflow, ...) and its `/__sandbox` controls. A body means POST unless `method` says otherwise.
 */
export async function sandboxRequest<T>(
  path: string,
  body?: unknown,
  method = body ? "POST" : "GET",
): Promise<T> {
  const response = await fetch(`${e2eEnv.SANDBOX_URL}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${e2eEnv.SANDBOX_TOKEN}`,
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`sandbox ${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
