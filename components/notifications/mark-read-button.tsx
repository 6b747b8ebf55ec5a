"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { postJson } from "@/components/promotions/post-json";

/** Marks one notification (or, without an id, the whole inbox) read. */
export function MarkReadButton({ id, label }: { id?: string; label: string }) {
  const router = useRouter();
  const [isSending, setIsSending] = useState(false);
  async function mark() {
    setIsSending(true);
    try {
      await postJson("/api/notifications", id ? { ids: [id] } : { all: true });
      router.refresh();
    } finally {
      setIsSending(false);
    }
  }
  return (
    <Button variant={id ? "ghost" : "secondary"} size="sm" onClick={mark} isLoading={isSending}>
      {label}
    </Button>
  );
}
