"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Textarea } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { postJson } from "./post-json";

export interface DecisionPanelProps {
  requestId: string;
  approvals: number;
  requiredApprovals: number;
}

/** Approve or reject with a mandatory comment; a refusal (four-eyes, a faster colleague) is shown as the server said it. */
export function DecisionPanel({ requestId, approvals, requiredApprovals }: DecisionPanelProps) {
  const router = useRouter();
  const [comment, setComment] = useState("");
  const [pending, setPending] = useState<"APPROVE" | "REJECT" | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function decide(decision: "APPROVE" | "REJECT") {
    setError(null);
    if (comment.trim().length < 3) return setError("Write a comment that explains your decision.");
    setPending(decision);
    try {
      await postJson(`/api/promotions/${requestId}/decisions`, { decision, comment });
      setComment("");
      router.refresh();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setPending(null);
    }
  }

  return (
    <Card title="Your decision" description={requiredApprovals > 1 ? `Needs ${requiredApprovals} approvals from different officers; ${approvals} given so far.` : "One approval applies it."}>
      <div className="space-y-3">
        {error && (
          <Notice tone="danger" title="Your decision was not recorded" live="assertive">
            {error}
          </Notice>
        )}
        <Field id="decision-comment" label="Comment" hint="Required. Recorded in the audit trail." isRequired>
          <Textarea id="decision-comment" value={comment} onChange={(e) => setComment(e.target.value)} rows={3} maxLength={4000} />
        </Field>
        <div className="flex gap-2">
          <Button onClick={() => decide("APPROVE")} isLoading={pending === "APPROVE"} disabled={pending !== null}>
            Approve
          </Button>
          <Button variant="danger" onClick={() => decide("REJECT")} isLoading={pending === "REJECT"} disabled={pending !== null}>
            Reject
          </Button>
        </div>
      </div>
    </Card>
  );
}
