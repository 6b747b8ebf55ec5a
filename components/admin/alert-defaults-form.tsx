"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { readApiError } from "@/components/runs/run-format";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import type { AlertDefaultDto } from "@/lib/dal/alert-defaults";
import { alertKindLabels } from "@/lib/domain/alerts/state-machine";
import { alertDefaultInput, thresholdBounds } from "@/lib/validation/alerts";

/** One kind's default, edited by an admin: checked with the server's own schema before it is sent. */
function DefaultRow({ rule }: { rule: AlertDefaultDto }) {
  const router = useRouter();
  const [threshold, setThreshold] = useState(String(rule.threshold));
  const [forMinutes, setForMinutes] = useState(String(rule.forMinutes));
  const [message, setMessage] = useState<{ tone: "error" | "done"; text: string } | null>(null);
  const [isSaving, setIsSaving] = useState(false);
  const label = alertKindLabels[rule.kind];
  const bounds = thresholdBounds[rule.kind];

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = alertDefaultInput.safeParse({ kind: rule.kind, threshold, forMinutes });
    if (!parsed.success) return setMessage({ tone: "error", text: parsed.error.issues[0].message });
    setIsSaving(true);
    setMessage(null);
    try {
      const response = await fetch("/api/admin/alert-defaults", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(parsed.data),
      });
      if (!response.ok) return setMessage({ tone: "error", text: (await readApiError(response)).message });
      setMessage({ tone: "done", text: `${label} default saved; services seen from now on start with it.` });
      router.refresh();
    } finally {
      setIsSaving(false);
    }
  }

  return (
    <form
      onSubmit={submit}
      aria-label={`${label} default`}
      className="space-y-2 border-b border-line p-4 last:border-0"
    >
      <p className="text-sm font-medium">
        {label}
        {rule.isLlmOnly && (
          <span className="ml-2 text-xs font-normal text-fg-muted">
            {rule.kind === "LLM_TTFT_P95"
              ? "LLM services on vLLM only (TGI exports no time to first token)"
              : "LLM services only (vLLM and TGI)"}
          </span>
        )}
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <Field id={`default-${rule.kind}-threshold`} label={`Threshold (${bounds.unit})`} hint={bounds.hint}>
          <Input inputMode="decimal" value={threshold} onChange={(e) => setThreshold(e.target.value)} />
        </Field>
        <Field id={`default-${rule.kind}-for`} label="For (minutes)" hint="0 fires at once.">
          <Input inputMode="numeric" value={forMinutes} onChange={(e) => setForMinutes(e.target.value)} />
        </Field>
        <Button
          type="submit"
          variant="secondary"
          disabled={isSaving}
          aria-label={`Save the ${label.toLowerCase()} default`}
        >
          {isSaving ? "Saving…" : "Save"}
        </Button>
      </div>
      <p className="text-xs text-fg-muted">
        Now: {rule.description}
        {rule.changedBy && rule.changedAt && ` · changed by ${rule.changedBy}`}
      </p>
      <p
        role="status"
        aria-live="polite"
        className={message?.tone === "error" ? "text-sm text-danger" : "text-sm"}
      >
        {message?.text}
      </p>
    </form>
  );
}

export function AlertDefaultsForm({ defaults }: { defaults: AlertDefaultDto[] }) {
  return (
    <div>
      {defaults.map((rule) => (
        <DefaultRow key={rule.kind} rule={rule} />
      ))}
    </div>
  );
}
