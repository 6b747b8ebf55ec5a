"use client";

import { useEffect } from "react";
import { columnsCookieName } from "./search-params";

/**
 * Remembers the columns a person picked for an experiment's runs table (the page reads the cookie
 * when the URL names none), so the table opens the way they left it. Renders nothing.
 */
export function RememberColumns({
  experimentId,
  params,
  metrics,
}: {
  experimentId: string;
  params: string[];
  metrics: string[];
}) {
  useEffect(() => {
    document.cookie = `${columnsCookieName(experimentId)}=${encodeURIComponent(JSON.stringify({ params, metrics }))}; path=/experiments; max-age=31536000; samesite=lax`;
  }, [experimentId, params, metrics]);
  return null;
}
