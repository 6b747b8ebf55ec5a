"use client";

import { RouteErrorState, type RouteErrorProps } from "@/components/ui/route-error";

export default function PipelinesError(props: RouteErrorProps) {
  return <RouteErrorState {...props} title="This pipelines page failed to load" />;
}
