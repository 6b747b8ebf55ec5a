"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * An admin's switch: a pinned experiment's runs are copied by the worker ahead of time, so comparing
 * them never waits on MLflow. Other people see whether it is pinned, without the switch.
 */
export function PinExperimentButton({
  experimentId,
  isPinned: initial,
  canPin,
}: {
  experimentId: string;
  isPinned: boolean;
  canPin: boolean;
}) {
  const [isPinned, setIsPinned] = useState(initial);
  const [isSaving, setIsSaving] = useState(false);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  if (!canPin)
    return isPinned ? (
      <p className="text-xs text-fg-muted">Pinned by an admin: its runs are copied ahead of time.</p>
    ) : null;

  const toggle = async () => {
    setIsSaving(true);
    setMessage(null);
    try {
      const response = await fetch(`/api/experiments/${encodeURIComponent(experimentId)}/pin`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ isPinned: !isPinned }),
      });
      const body = await response.json().catch(() => null);
      if (!response.ok) throw new Error(body?.error?.message ?? `The change failed (${response.status}).`);
      setIsPinned(body.experiment.isPinned);
      setMessage({
        tone: "ok",
        text: body.experiment.isPinned
          ? "Pinned: the worker copies this experiment's runs ahead of time."
          : "Unpinned: its runs are copied ahead of time only while people open it.",
      });
    } catch (error) {
      setMessage({ tone: "error", text: error instanceof Error ? error.message : "The change failed." });
    } finally {
      setIsSaving(false);
    }
  };

  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button
        aria-pressed={isPinned}
        isLoading={isSaving}
        loadingLabel={isPinned ? "Unpinning…" : "Pinning…"}
        onClick={() => void toggle()}
      >
        {isPinned ? "Pinned for background copying" : "Pin for background copying"}
      </Button>
      <p
        role="status"
        className={message?.tone === "error" ? "text-xs text-danger" : "text-xs text-fg-muted"}
      >
        {message?.text}
      </p>
    </div>
  );
}
