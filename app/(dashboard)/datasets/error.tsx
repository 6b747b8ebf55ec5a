"use client";

import { RouteErrorState, type RouteErrorProps } from "@/components/ui/route-error";

export default function DatasetsError(props: RouteErrorProps) {
  return <RouteErrorState {...props} title="This datasets page failed to load" />;
}
