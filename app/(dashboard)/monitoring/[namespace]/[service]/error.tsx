"use client";

import { RouteErrorState, type RouteErrorProps } from "@/components/ui/route-error";

export default function ServiceError(props: RouteErrorProps) {
  return (
    <RouteErrorState
      {...props}
      title="This service could not be shown"
      message="KServe or the database did not answer. Try again in a moment."
    />
  );
}
