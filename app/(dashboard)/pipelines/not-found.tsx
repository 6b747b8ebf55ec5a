import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export default function PipelineNotFound() {
  return (
    <>
      <PageHeader
        title="Not found"
        breadcrumbs={[{ label: "Pipelines", href: "/pipelines" }, { label: "Not found" }]}
      />
      <EmptyState
        title="No such pipeline or run"
        description="The DAG may have been removed from Airflow, or the run id mistyped. Pick it from the list instead."
        action={
          <ButtonLink href="/pipelines" variant="primary">
            All pipelines
          </ButtonLink>
        }
      />
    </>
  );
}
