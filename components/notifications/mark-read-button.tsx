"use client";

import { Button } from "@/components/ui/button";
import { postJson } from "@/components/promotions/post-json";
import { useApiAction } from "@/components/promotions/use-api-action";

/** Marks one notification (or, without an id, the whole inbox) read. */
export function MarkReadButton({ id, label }: { id?: string; label: string }) {
  const { pending, run } = useApiAction<"mark">();
  const mark = () => run("mark", () => postJson("/api/notifications", id ? { ids: [id] } : { all: true }));
  return (
    <Button variant={id ? "ghost" : "secondary"} size="sm" onClick={mark} isLoading={pending === "mark"}>
      {label}
    </Button>
  );
}
