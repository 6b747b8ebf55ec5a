"use client";

import { ErrorState } from "@/components/ui/error-state";

export default function ServiceError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <ErrorState
      title="This service could not be shown"
      message="KServe or the database did not answer. Try again in a moment."
      onRetry={reset}
      reference={error.digest}
    />
  );
}
