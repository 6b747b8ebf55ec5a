"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ExternalLink } from "lucide-react";
import Link from "next/link";
import { useEffect, useState } from "react";
import { Card } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code";
import { DateTime } from "@/components/ui/date-time";
import { formatDuration, formatNumber } from "@/components/ui/format";
import { featureServiceHref } from "@/components/features/links";
import { KeyValueList } from "@/components/ui/key-value-list";
import { Notice } from "@/components/ui/notice";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Stat, StatGrid } from "@/components/ui/stat";
import { StatusBadge } from "@/components/ui/status-badge";
import type { RunDetail } from "@/lib/dal/runs";
import { datasetHref } from "@/lib/navigation";
import { modelFamilies, nodeTypes, type ModelFamily, type NodeTypeId } from "@/lib/domain/training/launch";
import { CancelRunButton } from "./cancel-run-button";
import { livePollMs, progressText, runDurationMs } from "./run-format";
import { RunMetrics } from "./run-metrics";

const failedStatuses = new Set(["FAILED", "TIMED_OUT", "INTERNAL_ERROR"]);

function useNow(isLive: boolean) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!isLive) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [isLive]);
  return now;
}

/** A run's page body: polls the run every couple of seconds until it ends, then stops. */
export function RunLiveView({
  initial,
  canReadExperiments = false,
}: {
  initial: RunDetail;
  canReadExperiments?: boolean;
}) {
  const queryClient = useQueryClient();
  const { data: run } = useQuery({
    queryKey: ["run", initial.id],
    queryFn: async (): Promise<RunDetail> => {
      const response = await fetch(`/api/runs/${initial.id}`, { cache: "no-store" });
      if (!response.ok) throw new Error(`run: ${response.status}`);
      return response.json();
    },
    initialData: initial,
    refetchInterval: (query) => (query.state.data?.isTerminal ? false : livePollMs),
  });
  const now = useNow(!run.isTerminal);
  const cluster = run.cluster;
  const workers =
    cluster.workers.mode === "fixed"
      ? `${cluster.workers.count} fixed`
      : `autoscale ${cluster.workers.min}–${cluster.workers.max}`;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3 text-sm text-fg-muted">
          <StatusBadge domain="run" status={run.status} isLive />
          {run.isCancelRequested && !run.isTerminal && <span>Cancel requested</span>}
          <span>
            Launched by <span className="font-medium text-fg">{run.launchedByName}</span> on{" "}
            <DateTime value={run.createdAt} />
          </span>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {run.databricksRunUrl && (
            <a
              href={run.databricksRunUrl}
              target="_blank"
              rel="noreferrer"
              className="inline-flex items-center gap-1 text-sm font-medium text-accent underline"
            >
              Databricks run {run.databricksRunId} <ExternalLink aria-hidden="true" className="size-3.5" />
            </a>
          )}
          {run.canCancel && !run.isCancelRequested && (
            <CancelRunButton
              runId={run.id}
              runName={run.runName}
              onCancelled={() => queryClient.invalidateQueries({ queryKey: ["run", run.id] })}
            />
          )}
        </div>
      </div>

      {failedStatuses.has(run.status) && (
        <Notice tone="danger" title={`The run ${run.status === "TIMED_OUT" ? "timed out" : "failed"}`}>
          <p>{run.errorMessage ?? run.stateMessage ?? "Databricks gave no reason."}</p>
        </Notice>
      )}
      {run.errorTrace && <CodeBlock label="Error trace">{run.errorTrace}</CodeBlock>}

      <StatGrid>
        <Stat label="Progress" value={progressText(run)} />
        <Stat label="Duration" value={formatDuration(runDurationMs(run, now))} />
        <Stat
          label="Estimated cost"
          value={formatNumber(run.estimatedDbuPerHour)}
          unit="DBU/h"
          hint="An estimate from the node type's published rate"
        />
        <Stat label="Model" value={modelFamilies[run.modelFamily as ModelFamily]?.label ?? run.modelFamily} />
      </StatGrid>
      {run.epochsTotal ? (
        <ProgressBar
          label="Epochs"
          value={run.epochsDone ?? 0}
          max={run.epochsTotal}
          valueText={progressText(run)}
          tone={failedStatuses.has(run.status) ? "danger" : "progress"}
        />
      ) : null}

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Status history">
          <ol className="space-y-2 text-sm" aria-label="Status changes, oldest first">
            {run.events.map((event) => (
              <li key={event.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                <DateTime value={event.at} withSeconds className="w-48 shrink-0 tabular-nums text-fg-muted" />
                <StatusBadge domain="run" status={event.status} size="sm" />
                {event.message && <span className="text-fg-muted">{event.message}</span>}
              </li>
            ))}
          </ol>
        </Card>
        <Card title="Parameters">
          <KeyValueList
            items={[
              {
                label: "Experiment",
                value:
                  canReadExperiments && run.experimentId ? (
                    <Link
                      href={`/experiments/${encodeURIComponent(run.experimentId)}`}
                      className="text-accent-text underline"
                    >
                      {run.experimentName}
                    </Link>
                  ) : (
                    run.experimentName
                  ),
              },
              {
                label: "Dataset",
                value: (
                  <Link href={datasetHref(run.datasetFullName)} className="text-accent-text underline">
                    {run.datasetFullName}
                  </Link>
                ),
                isMono: true,
              },
              ...(run.featureService
                ? [
                    {
                      label: "Feature service",
                      value: (
                        <Link
                          href={featureServiceHref(run.featureService)}
                          className="text-accent-text underline"
                        >
                          {run.featureService}
                        </Link>
                      ),
                      isMono: true,
                    },
                  ]
                : []),
              ...Object.entries(run.params).map(([key, value]) => ({
                label: key,
                value: String(value),
                isMono: true,
              })),
              {
                label: "Node type",
                value: nodeTypes[cluster.nodeTypeId as NodeTypeId]?.label ?? cluster.nodeTypeId,
              },
              { label: "Workers", value: workers },
              { label: "Runtime", value: cluster.runtime, isMono: true },
              { label: "Timeout", value: formatDuration(run.timeoutSeconds * 1000) },
              ...(cluster.extraArguments
                ? [{ label: "Extra arguments", value: cluster.extraArguments, isMono: true }]
                : []),
              ...(cluster.registeredModelName
                ? [{ label: "Register the model as", value: cluster.registeredModelName, isMono: true }]
                : []),
              ...(run.mlflowRunId
                ? [
                    {
                      label: "MLflow run",
                      value: canReadExperiments ? (
                        <Link
                          href={`/experiments/compare?runs=${encodeURIComponent(run.mlflowRunId)}`}
                          className="text-accent-text underline"
                        >
                          {run.mlflowRunId}
                        </Link>
                      ) : (
                        run.mlflowRunId
                      ),
                      isMono: true,
                    },
                  ]
                : []),
            ]}
          />
        </Card>
      </div>

      <Card title="Latest metrics" description="From MLflow, refreshed while the run is live.">
        <RunMetrics runId={run.id} isLive={!run.isTerminal} />
      </Card>
    </div>
  );
}
