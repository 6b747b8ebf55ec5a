"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

/**
 * Keeps a promotion page current while decisions can still arrive from other people: every
 * `intervalMs` (while the tab is visible) it asks /api/promotions/version for a token and re-renders
 * the server page only when the token moved, so a colleague's approval shows within about two seconds
 * without re-reading the evidence each time. Renders nothing.
 */
export function PromotionWatch({
  requestId,
  version,
  isActive = true,
  intervalMs = 1_000,
}: {
  /** Without an id, any request (the approval queue). */
  requestId?: string;
  /** The token the page was rendered from. */
  version: string;
  isActive?: boolean;
  intervalMs?: number;
}) {
  const router = useRouter();
  // The token the page on screen was rendered from; a refresh whose render has not landed yet (or read
  // before the change) is asked for again after `intervalMs` × 3, never lost.
  const rendered = useRef(version);
  const refreshedAt = useRef(0);
  useEffect(() => {
    rendered.current = version;
    refreshedAt.current = 0;
  }, [version]);
  useEffect(() => {
    if (!isActive) return;
    const url = `/api/promotions/version${requestId ? `?id=${encodeURIComponent(requestId)}` : ""}`;
    let inFlight = false;
    const check = async () => {
      if (inFlight || document.visibilityState !== "visible") return;
      inFlight = true;
      try {
        const response = await fetch(url, { cache: "no-store" });
        if (!response.ok) return;
        const { version: latest } = (await response.json()) as { version: string };
        if (latest !== rendered.current && Date.now() - refreshedAt.current > intervalMs * 3) {
          refreshedAt.current = Date.now();
          router.refresh();
        }
      } catch {
        // Offline for a moment: the next tick tries again.
      } finally {
        inFlight = false;
      }
    };
    const timer = setInterval(check, intervalMs);
    document.addEventListener("visibilitychange", check);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", check);
    };
  }, [requestId, isActive, intervalMs, router]);
  return null;
}
