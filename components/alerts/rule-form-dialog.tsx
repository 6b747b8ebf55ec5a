"use client";

import { useState, type FormEvent } from "react";
import { readApiError } from "@/components/runs/run-format";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Checkbox, Field, Input, Select } from "@/components/ui/field";
import { FormErrorSummary } from "@/components/ui/form-error-summary";
import type { AlertRuleDto } from "@/lib/dal/alerts";
import {
  alertKindLabels,
  defaultLlmRules,
  defaultRules,
  describeRule,
  type RuleKind,
} from "@/lib/domain/alerts/state-machine";
import { ruleInput, thresholdBounds } from "@/lib/validation/alerts";

interface Draft {
  kind: RuleKind;
  threshold: string;
  forMinutes: string;
  isEnabled: boolean;
}

type FieldName = "kind" | "threshold" | "forMinutes";
const fieldNames: FieldName[] = ["kind", "threshold", "forMinutes"];
const fieldLabels: Record<FieldName, string> = { kind: "Rule", threshold: "Threshold", forMinutes: "For" };

const draftOf = (kind: RuleKind, rule?: AlertRuleDto): Draft => {
  const source = rule ?? [...defaultRules, ...defaultLlmRules].find((r) => r.kind === kind)!;
  return {
    kind,
    threshold: String(source.threshold),
    forMinutes: String(source.forMinutes),
    isEnabled: rule?.isEnabled ?? true,
  };
};

/** Issues keyed by the form's fields; anything else (the service name) is a message for the whole form. */
function splitIssues(issues: Array<{ path: PropertyKey[]; message: string }>) {
  const fields: Partial<Record<FieldName, string>> = {};
  const form: string[] = [];
  for (const issue of issues) {
    const name = issue.path[0] as FieldName;
    if (fieldNames.includes(name)) fields[name] ??= issue.message;
    else form.push(issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message);
  }
  return { fields, form };
}

export interface RuleFormDialogProps {
  isOpen: boolean;
  onClose: () => void;
  namespace: string;
  serviceName: string;
  /** The rule to edit; omit to add one of `availableKinds`. */
  rule?: AlertRuleDto;
  availableKinds: RuleKind[];
  onSaved: (rule: AlertRuleDto) => void;
}

/**
 * Add or edit one rule of a service. The API's own zod schema checks the draft before it is sent,
 * so the limits shown here are the server's; the server's answer is mapped back onto the fields.
 */
export function RuleFormDialog({
  isOpen,
  onClose,
  namespace,
  serviceName,
  rule,
  availableKinds,
  onSaved,
}: RuleFormDialogProps) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(rule?.kind ?? availableKinds[0], rule));
  const [errors, setErrors] = useState<{ fields: Partial<Record<FieldName, string>>; form: string[] }>({
    fields: {},
    form: [],
  });
  const [isSaving, setIsSaving] = useState(false);
  const idPrefix = `rule-${serviceName}-${rule?.id ?? "new"}`;
  const fieldId = (name: FieldName) => `${idPrefix}-${name}`;
  const bounds = thresholdBounds[draft.kind];
  const parsed = ruleInput.safeParse({ namespace, serviceName, ...draft });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!parsed.success) return setErrors(splitIssues(parsed.error.issues));
    setErrors({ fields: {}, form: [] });
    setIsSaving(true);
    try {
      const response = await fetch("/api/alerts/rules", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(parsed.data),
      });
      if (!response.ok) {
        const problem = await readApiError(response);
        const mapped = splitIssues(
          Object.entries(problem.fieldErrors).map(([path, message]) => ({ path: path.split("."), message })),
        );
        return setErrors(
          Object.keys(mapped.fields).length ? mapped : { fields: {}, form: [problem.message] },
        );
      }
      onSaved(((await response.json()) as { rule: AlertRuleDto }).rule);
    } catch {
      setErrors({ fields: {}, form: ["Could not reach Switchboard. Check your connection and try again."] });
    } finally {
      setIsSaving(false);
    }
  }

  const formId = `${idPrefix}-form`;
  const fieldErrors = fieldNames.flatMap((name) =>
    errors.fields[name]
      ? [{ fieldId: fieldId(name), message: `${fieldLabels[name]}: ${errors.fields[name]}` }]
      : [],
  );
  return (
    <Dialog
      isOpen={isOpen}
      onClose={onClose}
      title={rule ? `Edit ${alertKindLabels[rule.kind].toLowerCase()} rule` : "Add alert rule"}
      description={
        <>
          For <span className="font-mono">{serviceName}</span> in {namespace}. The worker applies it at its
          next evaluation (every 30 seconds).
        </>
      }
      footer={
        <>
          <Button onClick={onClose} disabled={isSaving}>
            Cancel
          </Button>
          <Button
            type="submit"
            form={formId}
            variant="primary"
            isLoading={isSaving}
            loadingLabel="Saving rule…"
          >
            {rule ? "Save rule" : "Add rule"}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate className="space-y-4">
        <FormErrorSummary formErrors={errors.form} fieldErrors={fieldErrors} />
        <Field
          id={fieldId("kind")}
          label="Rule"
          error={errors.fields.kind}
          hint={rule ? "A service has one rule of each kind; delete this one to choose another." : undefined}
        >
          <Select
            data-autofocus=""
            value={draft.kind}
            disabled={Boolean(rule)}
            onChange={(event) => setDraft(draftOf(event.target.value as RuleKind))}
            options={(rule ? [rule.kind] : availableKinds).map((kind) => ({
              value: kind,
              label: alertKindLabels[kind],
            }))}
          />
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id={fieldId("threshold")}
            label={`Threshold (${bounds.unit})`}
            hint={bounds.hint}
            error={errors.fields.threshold}
            isRequired
          >
            <Input
              inputMode="decimal"
              autoComplete="off"
              value={draft.threshold}
              onChange={(event) => setDraft({ ...draft, threshold: event.target.value })}
            />
          </Field>
          <Field
            id={fieldId("forMinutes")}
            label="For (minutes)"
            hint="How long it must hold before firing; 0 fires at once."
            error={errors.fields.forMinutes}
            isRequired
          >
            <Input
              inputMode="numeric"
              autoComplete="off"
              value={draft.forMinutes}
              onChange={(event) => setDraft({ ...draft, forMinutes: event.target.value })}
            />
          </Field>
        </div>
        <Checkbox
          id={`${idPrefix}-enabled`}
          label="Enabled"
          description="A disabled rule stays listed but opens no alerts."
          checked={draft.isEnabled}
          onChange={(event) => setDraft({ ...draft, isEnabled: event.target.checked })}
        />
        <p className="text-sm text-fg-muted">
          {parsed.success ? (
            <>Fires when {describeRule(parsed.data)}.</>
          ) : (
            "Fill in a valid threshold to see the rule in words."
          )}
        </p>
      </form>
    </Dialog>
  );
}
