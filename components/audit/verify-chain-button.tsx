"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { readApiError } from "@/components/runs/run-format";

type Verification =
  | { intact: true; checked: number; lastSeq: string | null; durationMs: number }
  | { intact: false; checked: number; firstBrokenSeq: string; reason: string; durationMs: number };

/** Recomputes the whole hash chain on the server and says whether it is intact, or where it first breaks. */
export function VerifyChainButton() {
  const [result, setResult] = useState<Verification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isVerifying, setIsVerifying] = useState(false);

  async function verify() {
    setIsVerifying(true);
    setError(null);
    try {
      const response = await fetch("/api/audit/verify", { cache: "no-store" });
      if (!response.ok) throw new Error((await readApiError(response)).message);
      setResult((await response.json()) as Verification);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setIsVerifying(false);
    }
  }

  return (
    <div className="space-y-2">
      <Button variant="secondary" onClick={verify} isLoading={isVerifying}>
        Verify chain
      </Button>
      <div aria-live="polite">
        {result?.intact === true && (
          <Notice tone="success" title="Chain intact">
            All {result.checked} events verified{result.lastSeq ? ` through #${result.lastSeq}` : ""} in {result.durationMs} ms.
          </Notice>
        )}
        {result?.intact === false && (
          <Notice tone="danger" title={`Chain broken at event #${result.firstBrokenSeq}`}>
            {result.reason} {result.checked} events before it verified.
          </Notice>
        )}
        {error && <Notice tone="danger">{error}</Notice>}
      </div>
    </div>
  );
}
