"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { readApiError } from "@/components/runs/run-format";

interface Checkpoint {
  seq: string;
  checkpointedAt: string;
}

type Verification = {
  checked: number;
  checkpoints: number;
  checkpointsMatched: number;
  latestCheckpoint: Checkpoint | null;
  durationMs: number;
} & (
  { intact: true; lastSeq: string | null } | { intact: false; firstBrokenSeq: string | null; reason: string }
);

type CheckpointResult = { status: "written" | "unchanged"; checkpoint: Checkpoint } | { status: "empty" };

const when = (iso: string) => `${iso.replace("T", " ").slice(0, 19)} UTC`;

/**
 * Recomputes the whole hash chain on the server and checks it against the checkpoints kept outside
 * the database; and records a checkpoint of the chain head on demand.
 */
export function VerifyChainButton() {
  const [result, setResult] = useState<Verification | null>(null);
  const [checkpoint, setCheckpoint] = useState<CheckpointResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<"verify" | "checkpoint" | null>(null);

  async function call<T>(
    kind: "verify" | "checkpoint",
    request: () => Promise<Response>,
    done: (value: T) => void,
  ) {
    setBusy(kind);
    setError(null);
    try {
      const response = await request();
      if (!response.ok) throw new Error((await readApiError(response)).message);
      done((await response.json()) as T);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  }

  const verify = () =>
    call<Verification>("verify", () => fetch("/api/audit/verify", { cache: "no-store" }), setResult);
  const checkpointNow = () =>
    call<CheckpointResult>(
      "checkpoint",
      () =>
        fetch("/api/audit/checkpoints", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        }),
      setCheckpoint,
    );

  const checkpoints =
    result &&
    (result.checkpoints === 0
      ? "No checkpoints yet."
      : `${result.checkpointsMatched} of ${result.checkpoints} checkpoints matched${result.latestCheckpoint ? `; the latest, of event #${result.latestCheckpoint.seq}, taken ${when(result.latestCheckpoint.checkpointedAt)}` : ""}.`);

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" onClick={verify} isLoading={busy === "verify"}>
          Verify chain
        </Button>
        <Button variant="secondary" onClick={checkpointNow} isLoading={busy === "checkpoint"}>
          Checkpoint now
        </Button>
      </div>
      <div aria-live="polite" className="space-y-2">
        {result?.intact === true && (
          <Notice tone="success" title="Chain intact">
            All {result.checked} events verified{result.lastSeq ? ` through #${result.lastSeq}` : ""} in{" "}
            {result.durationMs} ms. {checkpoints}
          </Notice>
        )}
        {result?.intact === false && (
          <Notice
            tone="danger"
            title={
              result.firstBrokenSeq
                ? `Chain broken at event #${result.firstBrokenSeq}`
                : "Trail not protected"
            }
          >
            {result.reason} {result.checked} events before it verified. {checkpoints}
          </Notice>
        )}
        {checkpoint?.status === "empty" && <Notice tone="info">No events to checkpoint yet.</Notice>}
        {checkpoint && checkpoint.status !== "empty" && (
          <Notice
            tone="success"
            title={checkpoint.status === "written" ? "Checkpoint written" : "Already checkpointed"}
          >
            Event #{checkpoint.checkpoint.seq} is recorded in the write-once store (
            {when(checkpoint.checkpoint.checkpointedAt)}).
          </Notice>
        )}
        {error && <Notice tone="danger">{error}</Notice>}
      </div>
    </div>
  );
}
