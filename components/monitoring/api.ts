"use client";

/** Poll period of every monitoring panel. */
export const pollMs = 15_000;

/** JSON from our own API; a failed call throws the API's safe message. */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: { "content-type": "application/json", ...init?.headers },
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body?.error?.message ?? `The request failed (${response.status}).`);
  return body as T;
}

/** For ConfirmDialog actions: the API's message as `{error}` instead of a throw. */
export async function postForDialog(url: string, payload: unknown): Promise<void | { error: string }> {
  try {
    await fetchJson(url, { method: "POST", body: JSON.stringify(payload) });
  } catch (error) {
    return { error: error instanceof Error ? error.message : "The request failed." };
  }
}
