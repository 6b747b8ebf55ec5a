import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { QueryProvider } from "@/components/query-provider";
import { RunLineage } from "@/components/runs/run-lineage";
import { RunLiveView } from "@/components/runs/run-live-view";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { LoadingState } from "@/components/ui/loading-state";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { getRun, getRunLineage } from "@/lib/dal/runs";
import { isAppError } from "@/lib/errors";

export const metadata: Metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser("runs:read");
  const { id } = await params;
  const run = await getRun(user, id).catch((error: unknown) => {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const canReadExperiments = can(user, "experiments:read");
  return (
    <>
      <PageHeader
        title={run.runName}
        breadcrumbs={[{ label: "Runs", href: "/runs" }, { label: run.runName }]}
        description={`${run.experimentName} · ${run.datasetFullName}`}
        actions={
          canReadExperiments && run.mlflowRunId ? (
            <>
              {run.experimentId && (
                <ButtonLink
                  href={`/experiments/${encodeURIComponent(run.experimentId)}`}
                  variant="secondary"
                  size="sm"
                >
                  Open experiment
                </ButtonLink>
              )}
              <ButtonLink
                href={`/experiments/compare?runs=${encodeURIComponent(run.mlflowRunId)}`}
                variant="secondary"
                size="sm"
              >
                Compare with other runs
              </ButtonLink>
            </>
          ) : undefined
        }
      />
      <QueryProvider>
        <RunLiveView initial={run} canReadExperiments={canReadExperiments} />
      </QueryProvider>
      <Card
        title="Registered from this run"
        description="Model versions, their promotion requests and rollouts."
        className="mt-6"
        isLandmark
      >
        <Suspense fallback={<LoadingState label="Reading the model registry" rows={2} className="p-0" />}>
          <RunLineage
            lineage={getRunLineage(user, run.id)}
            registeredModelName={run.cluster.registeredModelName}
          />
        </Suspense>
      </Card>
    </>
  );
}
