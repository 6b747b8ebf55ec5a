"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { postJson } from "./post-json";

/** Withdraw, or recapture the evidence (which reopens a stale request with new gate results). */
export function RequesterActions({ requestId, isStale }: { requestId: string; isStale: boolean }) {
  const router = useRouter();
  const [pending, setPending] = useState<"refresh" | "withdraw" | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run(action: "refresh" | "withdraw") {
    if (action === "withdraw" && !window.confirm("Withdraw this promotion request? It cannot be reopened.")) return;
    setPending(action);
    setError(null);
    try {
      await postJson(`/api/promotions/${requestId}/${action}`, action === "refresh" ? {} : undefined);
      router.refresh();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setPending(null);
    }
  }

  return (
    <div className="space-y-2">
      {error && (
        <Notice tone="danger" live="assertive">
          {error}
        </Notice>
      )}
      <div className="flex flex-wrap gap-2">
        <Button variant={isStale ? "primary" : "secondary"} onClick={() => run("refresh")} isLoading={pending === "refresh"} disabled={pending !== null}>
          Refresh evidence
        </Button>
        <Button variant="ghost" onClick={() => run("withdraw")} isLoading={pending === "withdraw"} disabled={pending !== null}>
          Withdraw
        </Button>
      </div>
    </div>
  );
}
