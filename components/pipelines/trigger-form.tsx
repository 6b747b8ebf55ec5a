"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Textarea } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { readApiError } from "@/components/runs/run-format";
import { adfRunHref, dagRunHref } from "./links";

/**
 * Trigger a run with a JSON object, on success go to the run's page and follow it there: an Airflow
 * DAG's conf and note, or a Data Factory pipeline's parameter values.
 */
export function TriggerRunForm({
  dagId,
  isPaused = false,
  source = "airflow",
}: {
  dagId: string;
  isPaused?: boolean;
  source?: "airflow" | "adf";
}) {
  const isAdf = source === "adf";
  const router = useRouter();
  const [conf, setConf] = useState("{}");
  const [note, setNote] = useState("");
  const [confError, setConfError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [isPending, setIsPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(conf || "{}");
    } catch {
      parsed = undefined;
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      setConfError(
        isAdf
          ? 'Enter a JSON object, e.g. {"windowStart": "2026-12-06T02:00:00Z"}'
          : 'Enter a JSON object, e.g. {"hour": "2026-12-06T02:00:00Z"}',
      );
      return;
    }
    setConfError(undefined);
    setIsPending(true);
    try {
      const response = await fetch(
        isAdf
          ? `/api/pipelines/adf/${encodeURIComponent(dagId)}/runs`
          : `/api/pipelines/${encodeURIComponent(dagId)}/runs`,
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(isAdf ? { parameters: parsed } : { conf: parsed, note: note || undefined }),
        },
      );
      if (!response.ok) {
        const { message, fieldErrors } = await readApiError(response);
        const fieldError = isAdf ? fieldErrors.parameters : fieldErrors.conf;
        if (fieldError) setConfError(fieldError);
        setError(message);
        return;
      }
      const answer = (await response.json()) as { dagRunId?: string; runKey?: string };
      router.push(isAdf ? adfRunHref(dagId, answer.runKey!) : dagRunHref(dagId, answer.dagRunId!));
    } finally {
      setIsPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      {isPaused && (
        <Notice tone="warning">
          This DAG is paused: the run waits in Airflow&apos;s queue until an admin unpauses it.
        </Notice>
      )}
      {error && (
        <Notice tone="danger" live="assertive">
          {error}
        </Notice>
      )}
      <Field
        id="trigger-conf"
        label={isAdf ? "Parameters" : "Configuration (conf)"}
        hint={
          isAdf
            ? "A JSON object of parameter values; parameters you leave out take their defaults."
            : "A JSON object the DAG's tasks read as dag_run.conf."
        }
        error={confError}
      >
        <Textarea
          rows={4}
          className="font-mono"
          value={conf}
          onChange={(e) => setConf(e.target.value)}
          spellCheck={false}
        />
      </Field>
      {!isAdf && (
        <Field id="trigger-note" label="Note" hint="Optional: why this run, shown in Airflow next to it.">
          <Input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
        </Field>
      )}
      <Button type="submit" isLoading={isPending}>
        Trigger run
      </Button>
    </form>
  );
}
