"use client";

import { RouteErrorState, type RouteErrorProps } from "@/components/ui/route-error";

export default function FeaturesError(props: RouteErrorProps) {
  return <RouteErrorState {...props} title="This features page failed to load" />;
}
