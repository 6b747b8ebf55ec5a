"use client";

import { ErrorState } from "@/components/ui/error-state";

// Last resort for a bug while rendering a datasets page; expected cloud failures render in place.
export default function DatasetsError({
  error,
  retry,
}: {
  error: Error & { digest?: string };
  retry: () => void;
}) {
  return (
    <ErrorState
      title="This datasets page failed to load"
      message="Try again; if it keeps failing, tell the platform team and quote the reference."
      onRetry={retry}
      reference={error.digest}
    />
  );
}
