import type { Metadata } from "next";
import { decodeSegment, load } from "@/components/datasets/load";
import { SectionError } from "@/components/datasets/section-error";
import { adfPipelineHref, adfRunHref } from "@/components/pipelines/links";
import { SubmittedRunView } from "@/components/pipelines/submitted-run-view";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { getAdfSubmittedDatabricksRun } from "@/lib/dal/pipelines";

export const metadata: Metadata = { title: "Databricks run" };

export default async function AdfSubmittedDatabricksRunPage({
  params,
}: {
  params: Promise<{ pipelineName: string; runId: string; databricksRunId: string }>;
}) {
  const user = await requirePageUser("pipelines:read");
  const raw = await params;
  const pipelineName = decodeSegment(raw.pipelineName);
  const runId = decodeSegment(raw.runId);
  const databricksRunId = decodeSegment(raw.databricksRunId);
  const result = await load(() => getAdfSubmittedDatabricksRun(user, pipelineName, runId, databricksRunId), {
    isNotFoundFatal: true,
  });
  const breadcrumbs = [
    { label: "Pipelines", href: "/pipelines" },
    { label: pipelineName, href: adfPipelineHref(pipelineName) },
    { label: runId, href: adfRunHref(pipelineName, runId) },
    { label: `Databricks run ${databricksRunId}` },
  ];
  if (!result.ok) {
    return (
      <>
        <PageHeader title={`Databricks run ${databricksRunId}`} breadcrumbs={breadcrumbs} />
        <SectionError title="This Databricks run could not be loaded" message={result.message} />
      </>
    );
  }
  return (
    <SubmittedRunView
      run={result.value}
      breadcrumbs={breadcrumbs}
      pipelineLabel={`${pipelineName} (Data Factory)`}
    />
  );
}
