"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";

/** react-query for the monitoring pages: they poll while open, and keep polling in a background tab off. */
export function MonitoringQueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true, refetchIntervalInBackground: false } } }));
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

/** Poll period of every monitoring panel. */
export const pollMs = 15_000;

/** JSON from our own API; a failed call throws the API's safe message. */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, headers: { "content-type": "application/json", ...init?.headers } });
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
