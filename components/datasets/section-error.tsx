"use client";

import { catchError, type ErrorInfo } from "next/error";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { ErrorState } from "@/components/ui/error-state";

export interface SectionErrorProps {
  title: string;
  /** An AppError's message: safe to show, says what to do. */
  message: string;
}

/**
 * A section whose cloud call failed. Retrying refreshes the page's server components: sections that
 * succeeded come from the server-side cache, and failures were never cached, so only they re-run.
 */
export function SectionError({ title, message }: SectionErrorProps) {
  const router = useRouter();
  const [isRetrying, startRetry] = useTransition();
  return (
    <ErrorState
      title={title}
      message={message}
      onRetry={() => startRetry(() => router.refresh())}
      retryLabel={isRetrying ? "Retrying…" : "Try again"}
      className="py-8"
    />
  );
}

function UnexpectedSectionError({ title }: { title: string }, { error, retry }: ErrorInfo) {
  const digest = error instanceof Error && "digest" in error ? String(error.digest) : undefined;
  return (
    <ErrorState
      title={title}
      message="This part of the page failed to render. Try again; if it persists, tell the platform team."
      onRetry={retry}
      reference={digest}
      className="py-8"
    />
  );
}

/** Keeps an unexpected failure inside one section, so the rest of the page stays usable. */
export const SectionBoundary = catchError(UnexpectedSectionError);
