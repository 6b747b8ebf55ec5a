"use client";

import { useState, type FormEvent } from "react";
import { Field, Textarea } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { SubmitButton } from "@/components/ui/submit-button";
import { postJson } from "./post-json";
import { useApiAction } from "./use-api-action";

export function CommentForm({ requestId }: { requestId: string }) {
  const [body, setBody] = useState("");
  const { pending, error, run } = useApiAction<"comment">();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (
      body.trim() &&
      (await run("comment", () => postJson(`/api/promotions/${requestId}/comments`, { body })))
    )
      setBody("");
  }

  return (
    <form onSubmit={submit} className="space-y-2">
      {error && (
        <Notice tone="danger" live="assertive">
          {error}
        </Notice>
      )}
      <Field id="promotion-comment" label="Add a comment">
        <Textarea
          id="promotion-comment"
          value={body}
          onChange={(e) => setBody(e.target.value)}
          rows={2}
          maxLength={4000}
        />
      </Field>
      <SubmitButton variant="secondary" isLoading={pending === "comment"}>
        Comment
      </SubmitButton>
    </form>
  );
}
