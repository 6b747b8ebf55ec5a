"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Card } from "@/components/ui/card";
import { Checkbox, Field, Input, Select, Textarea } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { SubmitButton } from "@/components/ui/submit-button";
import { checklistItems, type ChecklistItem } from "@/lib/domain/promotion/evidence";
import { postJson } from "./post-json";

export interface RequestFormProps {
  modelName?: string;
  version?: string;
  /** Checklist items the model's policy requires, marked as such. */
  requiredChecklist: string[];
}

/** Asks for a promotion; the server captures the evidence and evaluates the gates. */
export function RequestForm({ modelName = "", version = "", requiredChecklist }: RequestFormProps) {
  const router = useRouter();
  const [draft, setDraft] = useState({ modelName, version, targetKind: "stage" as "stage" | "alias", stage: "Staging", alias: "champion", justification: "" });
  const [checklist, setChecklist] = useState<ChecklistItem[]>([]);
  const [isSending, setIsSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (patch: Partial<typeof draft>) => setDraft((d) => ({ ...d, ...patch }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setIsSending(true);
    setError(null);
    try {
      const target = draft.targetKind === "stage" ? { kind: "stage", name: draft.stage } : { kind: "alias", name: draft.alias.trim() };
      const created = await postJson<{ id: string }>("/api/promotions", { modelName: draft.modelName.trim(), version: draft.version.trim(), target, justification: draft.justification, checklist });
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
          <Field id="promotion-model" label="Registered model" hint="Workspace name, or catalog.schema.model for Unity Catalog." isRequired>
            <Input id="promotion-model" value={draft.modelName} onChange={(e) => set({ modelName: e.target.value })} required />
          </Field>
          <Field id="promotion-version" label="Version" isRequired>
            <Input id="promotion-version" value={draft.version} onChange={(e) => set({ version: e.target.value })} inputMode="numeric" required />
          </Field>
          <Field id="promotion-target-kind" label="Promote to">
            <Select id="promotion-target-kind" value={draft.targetKind} onChange={(e) => set({ targetKind: e.target.value as "stage" | "alias" })} options={[{ value: "stage", label: "A stage (workspace registry)" }, { value: "alias", label: "An alias" }]} />
          </Field>
          {draft.targetKind === "stage" ? (
            <Field id="promotion-stage" label="Stage">
              <Select id="promotion-stage" value={draft.stage} onChange={(e) => set({ stage: e.target.value })} options={[{ value: "Staging", label: "Staging" }, { value: "Production", label: "Production" }]} />
            </Field>
          ) : (
            <Field id="promotion-alias" label="Alias" hint="champion, production and prod count as Production.">
              <Input id="promotion-alias" value={draft.alias} onChange={(e) => set({ alias: e.target.value })} required />
            </Field>
          )}
        </div>
      </Card>
      <Card title="Justification and checklist">
        <div className="space-y-4">
          <Field id="promotion-justification" label="Justification" hint="Why this version, and why now." isRequired>
            <Textarea id="promotion-justification" value={draft.justification} onChange={(e) => set({ justification: e.target.value })} rows={4} minLength={10} maxLength={4000} required />
          </Field>
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">Checklist</legend>
            {(Object.entries(checklistItems) as [ChecklistItem, string][]).map(([id, label]) => (
              <Checkbox
                key={id}
                id={`checklist-${id}`}
                label={label}
                description={requiredChecklist.includes(id) ? "Required by this model's policy" : undefined}
                checked={checklist.includes(id)}
                onChange={(e) => setChecklist((items) => (e.target.checked ? [...items, id] : items.filter((i) => i !== id)))}
              />
            ))}
          </fieldset>
        </div>
      </Card>
      <SubmitButton isLoading={isSending}>Request promotion</SubmitButton>
    </form>
  );
}
