"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";

/**
 * react-query for the client views that poll our API (runs, monitoring, rollouts): the app shell has
 * no client-wide provider, so each view brings one. Queries refetch when the window regains focus and
 * do not poll in a background tab. `retry` is per failed read; a view that polls often can afford fewer.
 */
export function QueryProvider({ children, retry = 2 }: { children: ReactNode; retry?: number }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { retry, refetchOnWindowFocus: true, refetchIntervalInBackground: false },
        },
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
