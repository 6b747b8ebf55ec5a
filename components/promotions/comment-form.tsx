"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Field, Textarea } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { SubmitButton } from "@/components/ui/submit-button";
import { postJson } from "./post-json";

export function CommentForm({ requestId }: { requestId: string }) {
  const router = useRouter();
  const [body, setBody] = useState("");
  const [isSending, setIsSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!body.trim()) return;
    setIsSending(true);
    setError(null);
    try {
      await postJson(`/api/promotions/${requestId}/comments`, { body });
      setBody("");
      router.refresh();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setIsSending(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-2">
      {error && (
        <Notice tone="danger" live="assertive">
          {error}
        </Notice>
      )}
      <Field id="promotion-comment" label="Add a comment">
        <Textarea id="promotion-comment" value={body} onChange={(e) => setBody(e.target.value)} rows={2} maxLength={4000} />
      </Field>
      <SubmitButton variant="secondary" isLoading={isSending}>
        Comment
      </SubmitButton>
    </form>
  );
}
