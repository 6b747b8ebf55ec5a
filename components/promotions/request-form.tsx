"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Card } from "@/components/ui/card";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { SubmitButton } from "@/components/ui/submit-button";
import { postJson } from "./post-json";

export interface RequestFormProps {
  modelName?: string;
  version?: string;
}

/** Asks for a promotion; the worker then gathers the evidence and evaluates the policy's gates. */
export function RequestForm({ modelName = "", version = "" }: RequestFormProps) {
  const router = useRouter();
  const [draft, setDraft] = useState({
    modelName,
    version,
    targetKind: "stage" as "stage" | "alias",
    stage: "Staging",
    alias: "champion",
    justification: "",
  });
  const [isSending, setIsSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (patch: Partial<typeof draft>) => setDraft((d) => ({ ...d, ...patch }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setIsSending(true);
    setError(null);
    try {
      const target =
        draft.targetKind === "stage"
          ? { kind: "stage", name: draft.stage }
          : { kind: "alias", name: draft.alias.trim() };
      const created = await postJson<{ id: string }>("/api/promotions", {
        modelName: draft.modelName.trim(),
        version: draft.version.trim(),
        target,
        justification: draft.justification,
      });
      router.push(`/approvals/${created.id}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setIsSending(false);
    }
  }

  return (
    <form onSubmit={submit} className="max-w-2xl space-y-4">
      {error && (
        <Notice tone="danger" title="The request was not created" live="assertive">
          {error}
        </Notice>
      )}
      <Card title="Version and target">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="promotion-model"
            label="Registered model"
            hint="Workspace name, or catalog.schema.model for Unity Catalog."
            isRequired
          >
            <Input
              id="promotion-model"
              value={draft.modelName}
              onChange={(e) => set({ modelName: e.target.value })}
              required
            />
          </Field>
          <Field id="promotion-version" label="Version" isRequired>
            <Input
              id="promotion-version"
              value={draft.version}
              onChange={(e) => set({ version: e.target.value })}
              inputMode="numeric"
              required
            />
          </Field>
          <Field id="promotion-target-kind" label="Promote to">
            <Select
              id="promotion-target-kind"
              value={draft.targetKind}
              onChange={(e) => set({ targetKind: e.target.value as "stage" | "alias" })}
              options={[
                { value: "stage", label: "A stage (workspace registry)" },
                { value: "alias", label: "An alias" },
              ]}
            />
          </Field>
          {draft.targetKind === "stage" ? (
            <Field id="promotion-stage" label="Stage">
              <Select
                id="promotion-stage"
                value={draft.stage}
                onChange={(e) => set({ stage: e.target.value })}
                options={[
                  { value: "Staging", label: "Staging" },
                  { value: "Production", label: "Production" },
                ]}
              />
            </Field>
          ) : (
            <Field
              id="promotion-alias"
              label="Alias"
              hint="champion, production and prod count as Production."
            >
              <Input
                id="promotion-alias"
                value={draft.alias}
                onChange={(e) => set({ alias: e.target.value })}
                required
              />
            </Field>
          )}
        </div>
      </Card>
      <Card
        title="Justification"
        description="The gates are not ticked here: the worker judges the version by the policy for this model and target, from MLflow metrics, evaluation size, evidence tags and data-quality results."
      >
        <Field
          id="promotion-justification"
          label="Justification"
          hint="Why this version, and why now."
          isRequired
        >
          <Textarea
            id="promotion-justification"
            value={draft.justification}
            onChange={(e) => set({ justification: e.target.value })}
            rows={4}
            minLength={10}
            maxLength={4000}
            required
          />
        </Field>
      </Card>
      <SubmitButton isLoading={isSending}>Request promotion</SubmitButton>
    </form>
  );
}
