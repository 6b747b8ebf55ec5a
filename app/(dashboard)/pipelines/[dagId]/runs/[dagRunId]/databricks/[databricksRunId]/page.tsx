import type { Metadata } from "next";
import { decodeSegment, load } from "@/components/datasets/load";
import { SectionError } from "@/components/datasets/section-error";
import { dagHref, dagRunHref } from "@/components/pipelines/links";
import { SubmittedRunView } from "@/components/pipelines/submitted-run-view";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { getSubmittedDatabricksRun } from "@/lib/dal/pipelines";

export const metadata: Metadata = { title: "Databricks run" };

export default async function SubmittedDatabricksRunPage({
  params,
}: {
  params: Promise<{ dagId: string; dagRunId: string; databricksRunId: string }>;
}) {
  const user = await requirePageUser("pipelines:read");
  const raw = await params;
  const dagId = decodeSegment(raw.dagId);
  const dagRunId = decodeSegment(raw.dagRunId);
  const databricksRunId = decodeSegment(raw.databricksRunId);
  const result = await load(() => getSubmittedDatabricksRun(user, dagId, dagRunId, databricksRunId), {
    isNotFoundFatal: true,
  });
  const breadcrumbs = [
    { label: "Pipelines", href: "/pipelines" },
    { label: dagId, href: dagHref(dagId) },
    { label: dagRunId, href: dagRunHref(dagId, dagRunId) },
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
  return <SubmittedRunView run={result.value} breadcrumbs={breadcrumbs} pipelineLabel={dagId} />;
}
