"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

/**
 * One button's worth of "call our API, show the server's message if it refuses, re-render the page
 * if it worked". `pending` names the action in flight, so a panel with two buttons spins the right one.
 */
export function useApiAction<K extends string = string>() {
  const router = useRouter();
  const [pending, setPending] = useState<K | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run(key: K, action: () => Promise<unknown>): Promise<boolean> {
    setPending(key);
    setError(null);
    try {
      await action();
      router.refresh();
      return true;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return false;
    } finally {
      setPending(null);
    }
  }

  return { pending, error, setError, run };
}
