"use client";

import { ErrorState } from "./error-state";

/** What Next.js passes a segment's error.tsx (https://nextjs.org/docs/app/api-reference/file-conventions/error). */
export interface RouteErrorProps {
  error: Error & { digest?: string };
  /** Re-fetches and re-renders the segment, server components included; `reset` would only re-render. */
  retry: () => void;
}

const askForHelp = "Try again; if it keeps failing, tell the platform team and quote the reference.";

/**
 * A segment's error.tsx: the last resort for a bug while rendering it (expected cloud failures render
 * in place). The digest is the reference the server's log carries.
 */
export function RouteErrorState({
  error,
  retry,
  title,
  message = askForHelp,
}: RouteErrorProps & { title: string; message?: string }) {
  return <ErrorState title={title} message={message} onRetry={retry} reference={error.digest} />;
}
