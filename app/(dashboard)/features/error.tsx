"use client";

import { ErrorState } from "@/components/ui/error-state";

// Last resort for a bug while rendering a features page; registry failures render in place.
export default function FeaturesError({
  error,
  retry,
}: {
  error: Error & { digest?: string };
  retry: () => void;
}) {
  return (
    <ErrorState
      title="This features page failed to load"
      message="Try again; if it keeps failing, tell the platform team and quote the reference."
      onRetry={retry}
      reference={error.digest}
    />
  );
}
