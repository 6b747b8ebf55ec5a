"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False during server rendering and hydration, true after. Charts render only on the client: Recharts
 * measures the DOM, and its inline styles are then applied through the CSSOM, which a strict
 * style-src CSP allows (style attributes in server HTML would be blocked).
 */
export function useIsClient(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
