"use client";

import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { postJson } from "./post-json";
import { useApiAction } from "./use-api-action";

/** Withdraw, or recapture the evidence (which reopens a stale request with new gate results). */
export function RequesterActions({ requestId, isStale }: { requestId: string; isStale: boolean }) {
  const { pending, error, run } = useApiAction<"refresh" | "withdraw">();

  async function act(action: "refresh" | "withdraw") {
    if (action === "withdraw" && !window.confirm("Withdraw this promotion request? It cannot be reopened."))
      return;
    await run(action, () =>
      postJson(`/api/promotions/${requestId}/${action}`, action === "refresh" ? {} : undefined),
    );
  }

  return (
    <div className="space-y-2">
      {error && (
        <Notice tone="danger" live="assertive">
          {error}
        </Notice>
      )}
      <div className="flex flex-wrap gap-2">
        <Button
          variant={isStale ? "primary" : "secondary"}
          onClick={() => act("refresh")}
          isLoading={pending === "refresh"}
          disabled={pending !== null}
        >
          Refresh evidence
        </Button>
        <Button
          variant="ghost"
          onClick={() => act("withdraw")}
          isLoading={pending === "withdraw"}
          disabled={pending !== null}
        >
          Withdraw
        </Button>
      </div>
    </div>
  );
}
