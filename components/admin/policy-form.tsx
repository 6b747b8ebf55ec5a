"use client";

import { Plus, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { postJson } from "@/components/promotions/post-json";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Checkbox, Field, Input, Select, Textarea } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { SubmitButton } from "@/components/ui/submit-button";
import { evidenceKinds, type EvidenceKind, type PolicyRules } from "@/lib/domain/promotion/policy";

export interface PolicyFormProps {
  /** The version in force for the model and target being edited, to start from. */
  initial?: PolicyRules & { modelName: string; target: string };
}

interface MetricDraft {
  key: string;
  direction: "higher" | "lower";
  isRequired: boolean;
  minimum: string;
  maxRegression: string;
}

const blankMetric: MetricDraft = {
  key: "",
  direction: "higher",
  isRequired: true,
  minimum: "",
  maxRegression: "0",
};
const numberOrNull = (text: string) => (text.trim() === "" ? null : Number(text));

/** Writes the next version of a model's policy for one target; the server names any field it refuses. */
export function PolicyForm({ initial }: PolicyFormProps) {
  const router = useRouter();
  const [modelName, setModelName] = useState(initial?.modelName ?? "");
  const [target, setTarget] = useState(initial?.target ?? "Production");
  const [metrics, setMetrics] = useState<MetricDraft[]>(
    initial?.metrics.map((m) => ({
      key: m.key,
      direction: m.direction,
      isRequired: m.isRequired,
      minimum: m.minimum?.toString() ?? "",
      maxRegression: m.maxRegression?.toString() ?? "",
    })) ?? [{ ...blankMetric }],
  );
  const [minRows, setMinRows] = useState(initial?.minEvaluationRows?.toString() ?? "");
  const [evidence, setEvidence] = useState<EvidenceKind[]>(initial?.requiredEvidence ?? []);
  const [approvals, setApprovals] = useState(String(initial?.approvals ?? 2));
  const [canary, setCanary] = useState(String(initial?.canaryPercent ?? 10));
  const [effectiveFrom, setEffectiveFrom] = useState("");
  const [note, setNote] = useState("");
  const [isSending, setIsSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const setMetric = (index: number, patch: Partial<MetricDraft>) =>
    setMetrics((all) => all.map((m, i) => (i === index ? { ...m, ...patch } : m)));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setIsSending(true);
    setError(null);
    setSaved(null);
    try {
      const body = {
        modelName,
        target,
        metrics: metrics
          .filter((m) => m.key.trim())
          .map((m) => ({
            key: m.key.trim(),
            direction: m.direction,
            isRequired: m.isRequired,
            minimum: numberOrNull(m.minimum),
            maxRegression: numberOrNull(m.maxRegression),
          })),
        minEvaluationRows: numberOrNull(minRows),
        requiredEvidence: evidence,
        approvals: Number(approvals),
        canaryPercent: Number(canary),
        effectiveFrom: effectiveFrom ? new Date(effectiveFrom).toISOString() : undefined,
        note,
      };
      const created = await postJson<{ version: number; modelName: string; target: string }>(
        "/api/admin/policies",
        body,
      );
      setSaved(`Saved version ${created.version} of the ${created.modelName} → ${created.target} policy.`);
      setNote("");
      router.refresh();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setIsSending(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Promotion policy">
      {error && (
        <Notice tone="danger" title="The policy was not saved" live="assertive">
          {error}
        </Notice>
      )}
      {saved && (
        <Notice tone="success" live="polite">
          {saved}
        </Notice>
      )}
      <Card
        title="Model and target"
        description="A change writes the next version; requests already made keep the version they were judged by."
      >
        <div className="grid gap-4 sm:grid-cols-3">
          <Field id="policy-model" label="Registered model" isRequired>
            <Input
              id="policy-model"
              value={modelName}
              onChange={(e) => setModelName(e.target.value)}
              required
            />
          </Field>
          <Field
            id="policy-target"
            label="Target"
            hint="Staging, Production, @alias, or * for every target without its own."
            isRequired
          >
            <Input id="policy-target" value={target} onChange={(e) => setTarget(e.target.value)} required />
          </Field>
          <Field id="policy-effective" label="Effective from" hint="Empty: now. Later: scheduled.">
            <Input
              id="policy-effective"
              type="datetime-local"
              value={effectiveFrom}
              onChange={(e) => setEffectiveFrom(e.target.value)}
            />
          </Field>
        </div>
      </Card>
      <Card
        title="Metric gates"
        description="Each metric's direction decides what counts as worse. Minimum is an absolute threshold (a maximum for lower-is-better); maximum regression is how much worse than the incumbent it may be (0: no worse)."
      >
        <div className="space-y-3">
          {metrics.map((metric, index) => (
            <fieldset key={index} className="grid items-end gap-3 sm:grid-cols-[2fr_1.5fr_1fr_1fr_auto_auto]">
              <legend className="sr-only">Metric {index + 1}</legend>
              <Field id={`metric-${index}-key`} label="Metric">
                <Input
                  id={`metric-${index}-key`}
                  value={metric.key}
                  onChange={(e) => setMetric(index, { key: e.target.value })}
                  placeholder="auc"
                />
              </Field>
              <Field id={`metric-${index}-direction`} label="Better when">
                <Select
                  id={`metric-${index}-direction`}
                  value={metric.direction}
                  onChange={(e) => setMetric(index, { direction: e.target.value as "higher" | "lower" })}
                  options={[
                    { value: "higher", label: "Higher" },
                    { value: "lower", label: "Lower" },
                  ]}
                />
              </Field>
              <Field id={`metric-${index}-minimum`} label="Minimum">
                <Input
                  id={`metric-${index}-minimum`}
                  inputMode="decimal"
                  value={metric.minimum}
                  onChange={(e) => setMetric(index, { minimum: e.target.value })}
                />
              </Field>
              <Field id={`metric-${index}-regression`} label="Max regression">
                <Input
                  id={`metric-${index}-regression`}
                  inputMode="decimal"
                  value={metric.maxRegression}
                  onChange={(e) => setMetric(index, { maxRegression: e.target.value })}
                />
              </Field>
              <Checkbox
                id={`metric-${index}-required`}
                label="Required"
                checked={metric.isRequired}
                onChange={(e) => setMetric(index, { isRequired: e.target.checked })}
                className="pb-2"
              />
              <Button
                type="button"
                variant="ghost"
                icon={<Trash2 aria-hidden className="size-4" />}
                isIconOnly
                aria-label={`Remove metric ${metric.key || index + 1}`}
                onClick={() => setMetrics((all) => all.filter((_, i) => i !== index))}
              />
            </fieldset>
          ))}
          <Button
            type="button"
            variant="secondary"
            icon={<Plus aria-hidden className="size-4" />}
            onClick={() => setMetrics((all) => [...all, { ...blankMetric }])}
          >
            Add metric
          </Button>
        </div>
      </Card>
      <Card title="Evidence and approvals">
        <div className="grid gap-4 sm:grid-cols-3">
          <Field id="policy-min-rows" label="Minimum evaluation rows" hint="Empty: no minimum.">
            <Input
              id="policy-min-rows"
              inputMode="numeric"
              value={minRows}
              onChange={(e) => setMinRows(e.target.value)}
            />
          </Field>
          <Field
            id="policy-approvals"
            label="Approvals"
            hint="Production never needs fewer than 2."
            isRequired
          >
            <Input
              id="policy-approvals"
              type="number"
              min={1}
              max={5}
              value={approvals}
              onChange={(e) => setApprovals(e.target.value)}
              required
            />
          </Field>
          <Field id="policy-canary" label="Canary traffic %" isRequired>
            <Input
              id="policy-canary"
              type="number"
              min={1}
              max={99}
              value={canary}
              onChange={(e) => setCanary(e.target.value)}
              required
            />
          </Field>
        </div>
        <fieldset className="mt-4 space-y-2">
          <legend className="text-sm font-medium">Required evidence</legend>
          {(Object.entries(evidenceKinds) as [EvidenceKind, string][]).map(([id, label]) => (
            <Checkbox
              key={id}
              id={`evidence-${id}`}
              label={label}
              checked={evidence.includes(id)}
              onChange={(e) =>
                setEvidence((all) => (e.target.checked ? [...all, id] : all.filter((k) => k !== id)))
              }
            />
          ))}
        </fieldset>
      </Card>
      <Field
        id="policy-note"
        label="Why it changes"
        hint="Recorded with the version and in the audit trail."
        isRequired
      >
        <Textarea
          id="policy-note"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          rows={2}
          maxLength={1000}
          required
        />
      </Field>
      <SubmitButton isLoading={isSending}>Save policy</SubmitButton>
    </form>
  );
}
