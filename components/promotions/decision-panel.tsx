"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Textarea } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { postJson } from "./post-json";
import { useApiAction } from "./use-api-action";

export interface DecisionPanelProps {
  requestId: string;
  approvals: number;
  requiredApprovals: number;
  /** False while a failed gate blocks approval: the officer may still reject. */
  canApprove: boolean;
}

/** Approve or reject with a mandatory comment; a refusal (four-eyes, a faster colleague) is shown as the server said it. */
export function DecisionPanel({ requestId, approvals, requiredApprovals, canApprove }: DecisionPanelProps) {
  const [comment, setComment] = useState("");
  const { pending, error, setError, run } = useApiAction<"APPROVE" | "REJECT">();

  async function decide(decision: "APPROVE" | "REJECT") {
    if (comment.trim().length < 3) return setError("Write a comment that explains your decision.");
    if (await run(decision, () => postJson(`/api/promotions/${requestId}/decisions`, { decision, comment })))
      setComment("");
  }

  return (
    <Card
      title="Your decision"
      description={
        requiredApprovals > 1
          ? `Needs ${requiredApprovals} approvals from different officers; ${approvals} given so far.`
          : "One approval applies it."
      }
    >
      <div className="space-y-3">
        {error && (
          <Notice tone="danger" title="Your decision was not recorded" live="assertive">
            {error}
          </Notice>
        )}
        <Field id="decision-comment" label="Comment" hint="Required. Recorded in the audit trail." isRequired>
          <Textarea
            id="decision-comment"
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            rows={3}
            maxLength={4000}
          />
        </Field>
        <div className="flex gap-2">
          {canApprove && (
            <Button
              onClick={() => decide("APPROVE")}
              isLoading={pending === "APPROVE"}
              disabled={pending !== null}
            >
              Approve
            </Button>
          )}
          <Button
            variant="danger"
            onClick={() => decide("REJECT")}
            isLoading={pending === "REJECT"}
            disabled={pending !== null}
          >
            Reject
          </Button>
        </div>
      </div>
    </Card>
  );
}
