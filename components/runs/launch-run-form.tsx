"use client";

import { useRouter } from "next/navigation";
import { Fragment, useMemo, useState, type FormEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { FormErrorSummary } from "@/components/ui/form-error-summary";
import { formatMoney, formatNumber } from "@/components/ui/format";
import type { LaunchOptions } from "@/lib/dal/runs";
import {
  estimateRunCost,
  launchPresets,
  modelFamilies,
  nodeTypeIds,
  nodeTypes,
  runtimes,
  type DbuRateCard,
  type LaunchPreset,
  type ModelFamily,
} from "@/lib/domain/training/launch";
import { costInput, launchRunInput } from "@/lib/validation/runs";
import { readApiError } from "./run-format";

type Workers = { mode: "fixed" | "autoscale"; count: string; min: string; max: string };
interface Draft {
  runName: string;
  experimentName: string;
  datasetFullName: string;
  modelFamily: ModelFamily;
  params: Record<string, string>;
  nodeTypeId: string;
  runtime: string;
  workers: Workers;
  timeoutMinutes: string;
  registeredModelName: string;
  featureService: string;
  extraArguments: string;
}

/** The feature services the form offers, from Feast's registry; `error` when it could not be read. */
export interface FeatureServiceChoices {
  services: { name: string; description: string | null; views: { name: string }[] }[];
  error: string | null;
}

const tabularFields = [
  { key: "learningRate", label: "Learning rate" },
  { key: "epochs", label: "Epochs" },
  { key: "regularisation", label: "Regularisation" },
  { key: "maxDepth", label: "Max depth" },
];
const fineTuneFields = [
  { key: "baseModel", label: "Base model", hint: "Hugging Face id, e.g. meta-llama/Meta-Llama-3-8B" },
  { key: "epochs", label: "Epochs" },
  { key: "batchSize", label: "Batch size" },
  { key: "learningRate", label: "Learning rate" },
  { key: "loraRank", label: "LoRA rank" },
];
const paramFieldsOf = (family: ModelFamily) =>
  modelFamilies[family].kind === "GENAI_FINETUNE" ? fineTuneFields : tabularFields;

function draftOf(preset: LaunchPreset, runName: string): Draft {
  const { values } = preset;
  const workers = values.cluster.workers;
  return {
    runName,
    experimentName: values.experimentName,
    datasetFullName: values.datasetFullName,
    modelFamily: values.modelFamily,
    params: Object.fromEntries(Object.entries(values.params).map(([key, value]) => [key, String(value)])),
    nodeTypeId: values.cluster.nodeTypeId,
    runtime: values.cluster.runtime,
    workers:
      workers.mode === "fixed"
        ? { mode: "fixed", count: String(workers.count), min: "1", max: "4" }
        : { mode: "autoscale", count: "2", min: String(workers.min), max: String(workers.max) },
    timeoutMinutes: String(values.timeoutMinutes),
    registeredModelName: values.registeredModelName ?? "",
    featureService: values.featureService ?? "",
    extraArguments: values.extraArguments ?? "",
  };
}

/** The JSON the API takes; the same schema validates it here first and on the server. */
function toInput(draft: Draft) {
  const { workers } = draft;
  return {
    runName: draft.runName,
    experimentName: draft.experimentName,
    datasetFullName: draft.datasetFullName,
    modelFamily: draft.modelFamily,
    params: Object.fromEntries(
      paramFieldsOf(draft.modelFamily).map(({ key }) => [key, draft.params[key] ?? ""]),
    ),
    cluster: {
      nodeTypeId: draft.nodeTypeId,
      runtime: draft.runtime,
      workers:
        workers.mode === "fixed"
          ? { mode: "fixed", count: workers.count }
          : { mode: "autoscale", min: workers.min, max: workers.max },
    },
    timeoutMinutes: draft.timeoutMinutes,
    registeredModelName: draft.registeredModelName,
    featureService: draft.featureService,
    extraArguments: draft.extraArguments,
  };
}

const fieldId = (path: string) => `launch-${path.replaceAll(".", "-")}`;

/** Launch form: presets, catalog dataset picker, hyperparameters by model family, cluster and an estimated cost. */
export function LaunchRunForm({
  options,
  featureServices,
  rateCard,
  initialDataset,
}: {
  options: LaunchOptions;
  featureServices: FeatureServiceChoices;
  rateCard: DbuRateCard;
  initialDataset?: string;
}) {
  const router = useRouter();
  const [presetId, setPresetId] = useState(launchPresets[0].id);
  // Arriving from a dataset's "Train on this table" keeps that table over the preset's.
  const [draft, setDraft] = useState<Draft>(() => ({
    ...draftOf(launchPresets[0], ""),
    ...(initialDataset ? { datasetFullName: initialDataset } : {}),
  }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [isSubmitting, setIsSubmitting] = useState(false);
  const [tableSearch, setTableSearch] = useState("");

  const update = (patch: Partial<Draft>) => setDraft((current) => ({ ...current, ...patch }));
  const costFields = useMemo(() => costInput.safeParse(toInput(draft)), [draft]);
  const estimate = costFields.success ? estimateRunCost(costFields.data, rateCard) : null;
  const tables = options.tables.filter(
    (t) =>
      t.fullName.toLowerCase().includes(tableSearch.trim().toLowerCase()) ||
      t.fullName === draft.datasetFullName,
  );

  function applyPreset(id: string) {
    const preset = launchPresets.find((p) => p.id === id);
    if (!preset) return;
    setPresetId(id);
    setDraft((current) => ({
      ...draftOf(preset, current.runName),
      featureService: current.featureService,
      ...(initialDataset ? { datasetFullName: current.datasetFullName } : {}),
    }));
    setErrors({});
  }

  function changeFamily(family: ModelFamily) {
    const sameKind = modelFamilies[family].kind === modelFamilies[draft.modelFamily].kind;
    const preset = launchPresets.find((p) => p.values.modelFamily === family) ?? launchPresets[0];
    update({ modelFamily: family, params: sameKind ? draft.params : draftOf(preset, "").params });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const result = launchRunInput.safeParse(toInput(draft));
    if (!result.success) {
      setErrors(
        Object.fromEntries(result.error.issues.map((issue) => [issue.path.join("."), issue.message])),
      );
      return;
    }
    setErrors({});
    setIsSubmitting(true);
    try {
      const response = await fetch("/api/runs", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(toInput(draft)),
      });
      if (!response.ok) {
        const problem = await readApiError(response);
        setErrors(problem.fieldErrors);
        setFormError(Object.keys(problem.fieldErrors).length ? null : problem.message);
        return;
      }
      const { id } = (await response.json()) as { id: string };
      router.push(`/runs/${id}`);
    } catch {
      setFormError("Could not reach Switchboard. Check your connection and try again.");
    } finally {
      setIsSubmitting(false);
    }
  }

  const field = (path: string, label: string, control: ReactNode, hint?: ReactNode) => (
    <Field id={fieldId(path)} label={label} hint={hint} error={errors[path]}>
      {control as never}
    </Field>
  );
  const fieldErrors = Object.entries(errors).map(([path, message]) => ({
    fieldId: fieldId(path),
    message: `${path}: ${message}`,
  }));

  return (
    <form onSubmit={submit} noValidate className="space-y-6">
      {(fieldErrors.length > 0 || formError) && (
        <FormErrorSummary formErrors={formError ? [formError] : []} fieldErrors={fieldErrors} />
      )}

      <Card title="Preset" description="Start from one of the team's usual setups, then adjust.">
        <fieldset className="flex flex-wrap gap-2">
          <legend className="sr-only">Preset</legend>
          {launchPresets.map((preset) => (
            <Button
              key={preset.id}
              type="button"
              variant={preset.id === presetId ? "primary" : "secondary"}
              aria-pressed={preset.id === presetId}
              onClick={() => applyPreset(preset.id)}
              title={preset.description}
            >
              {preset.label}
            </Button>
          ))}
        </fieldset>
      </Card>

      <Card title="What to train">
        <div className="grid gap-4 md:grid-cols-2">
          {field(
            "runName",
            "Run name",
            <Input
              value={draft.runName}
              onChange={(e) => update({ runName: e.target.value })}
              placeholder="churn-lr-baseline"
            />,
          )}
          {field(
            "experimentName",
            "Experiment",
            <Input
              list="launch-experiments"
              value={draft.experimentName}
              onChange={(e) => update({ experimentName: e.target.value })}
            />,
            "An MLflow experiment path; a new path creates the experiment.",
          )}
          <datalist id="launch-experiments">
            {options.experiments.map((experiment) => (
              <option key={experiment.id} value={experiment.name} />
            ))}
          </datalist>
          <Field id="launch-table-search" label="Search the catalog">
            <Input
              type="search"
              value={tableSearch}
              onChange={(e) => setTableSearch(e.target.value)}
              placeholder="churn, features, …"
            />
          </Field>
          {field(
            "datasetFullName",
            "Training dataset",
            <Select
              value={draft.datasetFullName}
              onChange={(e) => update({ datasetFullName: e.target.value })}
              placeholder="Choose a table…"
              options={tables.map((t) => ({
                value: t.fullName,
                label: `${t.fullName} (${t.tableType.toLowerCase().replace("_", " ")})`,
              }))}
            />,
            `${tables.length} of ${options.tables.length} Unity Catalog tables`,
          )}
          {field(
            "modelFamily",
            "Model family",
            <Select
              value={draft.modelFamily}
              onChange={(e) => changeFamily(e.target.value as ModelFamily)}
              options={Object.entries(modelFamilies).map(([value, family]) => ({
                value,
                label: family.label,
              }))}
            />,
          )}
        </div>
      </Card>

      <Card title="Hyperparameters">
        <div className="grid gap-4 md:grid-cols-3">
          {paramFieldsOf(draft.modelFamily).map(({ key, label, ...rest }) => (
            <Fragment key={key}>
              {field(
                `params.${key}`,
                label,
                <Input
                  inputMode={key === "baseModel" ? "text" : "decimal"}
                  value={draft.params[key] ?? ""}
                  onChange={(e) => update({ params: { ...draft.params, [key]: e.target.value } })}
                />,
                "hint" in rest ? (rest.hint as string) : undefined,
              )}
            </Fragment>
          ))}
        </div>
      </Card>

      <Card title="Cluster" description="A new job cluster is created for the run and removed when it ends.">
        <div className="grid gap-4 md:grid-cols-3">
          {field(
            "cluster.nodeTypeId",
            "Node type",
            <Select
              value={draft.nodeTypeId}
              onChange={(e) => update({ nodeTypeId: e.target.value })}
              options={nodeTypeIds.map((id) => ({
                value: id,
                label: `${nodeTypes[id].label} — ${nodeTypes[id].dbuPerHour} DBU/h`,
              }))}
            />,
          )}
          {field(
            "cluster.runtime",
            "Runtime",
            <Select
              value={draft.runtime}
              onChange={(e) => update({ runtime: e.target.value })}
              options={runtimes.map((r) => ({ value: r, label: r }))}
            />,
          )}
          {field(
            "cluster.workers.mode",
            "Workers",
            <Select
              value={draft.workers.mode}
              onChange={(e) =>
                update({ workers: { ...draft.workers, mode: e.target.value as Workers["mode"] } })
              }
              options={[
                { value: "fixed", label: "Fixed number" },
                { value: "autoscale", label: "Autoscale" },
              ]}
            />,
          )}
          {draft.workers.mode === "fixed" ? (
            field(
              "cluster.workers.count",
              "Number of workers",
              <Input
                inputMode="numeric"
                value={draft.workers.count}
                onChange={(e) => update({ workers: { ...draft.workers, count: e.target.value } })}
              />,
            )
          ) : (
            <>
              {field(
                "cluster.workers.min",
                "Minimum workers",
                <Input
                  inputMode="numeric"
                  value={draft.workers.min}
                  onChange={(e) => update({ workers: { ...draft.workers, min: e.target.value } })}
                />,
              )}
              {field(
                "cluster.workers.max",
                "Maximum workers",
                <Input
                  inputMode="numeric"
                  value={draft.workers.max}
                  onChange={(e) => update({ workers: { ...draft.workers, max: e.target.value } })}
                />,
              )}
            </>
          )}
          {field(
            "timeoutMinutes",
            "Timeout (minutes)",
            <Input
              inputMode="numeric"
              value={draft.timeoutMinutes}
              onChange={(e) => update({ timeoutMinutes: e.target.value })}
            />,
          )}
        </div>
        <p className="mt-4 text-sm" aria-live="polite" data-testid="cost-estimate">
          Estimated cost:{" "}
          {estimate === null ? (
            <span className="text-fg-muted">shown once the node type, workers and timeout are valid</span>
          ) : (
            <>
              <span className="font-semibold tabular-nums">
                at most {formatMoney(estimate.atTimeout, estimate.currency)} for the {draft.timeoutMinutes}
                -minute timeout
              </span>{" "}
              <span className="tabular-nums">
                ({formatMoney(estimate.perHour, estimate.currency)}/hour = {formatNumber(estimate.dbuPerHour)}{" "}
                DBU/hour × {formatMoney(rateCard.pricePerDbu, estimate.currency)}/DBU)
              </span>
            </>
          )}
          <span className="block text-xs text-fg-muted">
            An estimate: driver plus workers at the node type&apos;s published DBU rate
            {draft.workers.mode === "autoscale" ? ", at the autoscale maximum" : ""}, priced by the
            team&apos;s rate card; cloud VM charges are extra.
          </span>
        </p>
      </Card>

      <Card title="Options">
        <div className="grid gap-4 md:grid-cols-2">
          {field(
            "featureService",
            "Feature service",
            <Select
              value={draft.featureService}
              onChange={(e) => update({ featureService: e.target.value })}
              placeholder="None recorded"
              disabled={featureServices.error !== null && !draft.featureService}
              options={featureServices.services.map((s) => ({
                value: s.name,
                label: `${s.name} (${s.views.map((v) => v.name).join(", ")})`,
              }))}
            />,
            featureServices.error ??
              "The Feast features the training reads; recorded on the MLflow run, so the feature views show the run as a user.",
          )}
          {field(
            "registeredModelName",
            "Register the model as",
            <Input
              value={draft.registeredModelName}
              onChange={(e) => update({ registeredModelName: e.target.value })}
              placeholder="churn-classifier (optional)"
            />,
          )}
          {field(
            "extraArguments",
            "Extra script arguments",
            <Input
              value={draft.extraArguments}
              onChange={(e) => update({ extraArguments: e.target.value })}
              placeholder="--seed 7 (optional)"
            />,
            "Passed to the training code as --name value pairs.",
          )}
        </div>
      </Card>

      <div className="flex justify-end gap-2">
        <Button type="submit" isLoading={isSubmitting}>
          Launch run
        </Button>
      </div>
    </form>
  );
}
