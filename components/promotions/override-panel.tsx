"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Textarea } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { postJson } from "./post-json";
import { useApiAction } from "./use-api-action";

export interface OverridePanelProps {
  requestId: string;
  failedGates: string[];
  override: { reason: string; proposedBy: string; confirmedBy: string | null } | null;
  canPropose: boolean;
  canConfirm: boolean;
}

/** Failed gates block approval until one officer proposes an override with a reason and a second confirms it. */
export function OverridePanel({
  requestId,
  failedGates,
  override,
  canPropose,
  canConfirm,
}: OverridePanelProps) {
  const [reason, setReason] = useState("");
  const { pending, error, setError, run } = useApiAction<"propose" | "confirm">();

  async function propose() {
    if (reason.trim().length < 10)
      return setError("Say why the failed gates may be overridden, in at least 10 characters.");
    if (
      await run("propose", () =>
        postJson(`/api/promotions/${requestId}/override`, { step: "propose", reason }),
      )
    )
      setReason("");
  }

  return (
    <Card
      title="Override failed gates"
      description={`Blocked by: ${failedGates.join("; ")}. An override needs a reason from one officer and the confirmation of a second; both are audited.`}
    >
      <div className="space-y-3">
        {error && (
          <Notice tone="danger" title="The override was not recorded" live="assertive">
            {error}
          </Notice>
        )}
        {override && (
          <Notice
            tone={override.confirmedBy ? "warning" : "info"}
            title={
              override.confirmedBy
                ? `Overridden: proposed by ${override.proposedBy}, confirmed by ${override.confirmedBy}`
                : `Override proposed by ${override.proposedBy}; awaiting a second officer`
            }
          >
            {override.reason}
          </Notice>
        )}
        {canPropose && (
          <>
            <Field
              id="override-reason"
              label="Reason for the override"
              hint="Required. Recorded in the audit trail."
              isRequired
            >
              <Textarea
                id="override-reason"
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                rows={3}
                maxLength={4000}
              />
            </Field>
            <Button
              variant="danger"
              onClick={propose}
              isLoading={pending === "propose"}
              disabled={pending !== null}
            >
              Propose override
            </Button>
          </>
        )}
        {canConfirm && (
          <Button
            variant="danger"
            onClick={() =>
              run("confirm", () => postJson(`/api/promotions/${requestId}/override`, { step: "confirm" }))
            }
            isLoading={pending === "confirm"}
            disabled={pending !== null}
          >
            Confirm override
          </Button>
        )}
      </div>
    </Card>
  );
}
