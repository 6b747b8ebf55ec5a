"use client";

import { useId } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, Textarea } from "@/components/ui/field";
import { postForDialog } from "@/components/monitoring/api";

/** OnCall takes a firing alert, saying what they are doing about it; the note is audited. */
export function AcknowledgeButton({
  alertId,
  summary,
  onDone,
}: {
  alertId: string;
  summary: string;
  onDone: () => void;
}) {
  const noteId = useId();
  return (
    <ConfirmDialog
      triggerLabel="Acknowledge"
      triggerVariant="secondary"
      tone="primary"
      title="Acknowledge alert"
      description={summary}
      confirmLabel="Acknowledge"
      pendingLabel="Acknowledging…"
      action={async (form) => {
        const result = await postForDialog(`/api/alerts/${alertId}/acknowledge`, {
          note: String(form.get("note") ?? ""),
        });
        if (!result) onDone();
        return result;
      }}
    >
      <Field
        id={noteId}
        label="Note"
        hint="What you are doing about it; others see it on the alert."
        isRequired
      >
        <Textarea id={noteId} name="note" required minLength={3} rows={3} />
      </Field>
    </ConfirmDialog>
  );
}
