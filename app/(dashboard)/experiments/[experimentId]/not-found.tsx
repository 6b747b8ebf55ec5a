import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export default function ExperimentNotFound() {
  return (
    <>
      <PageHeader
        title="Not found"
        breadcrumbs={[{ label: "Experiments", href: "/experiments" }, { label: "Not found" }]}
      />
      <EmptyState
        title="No such experiment"
        description="MLflow has no experiment with this id. It may have been deleted, or the link may be mistyped. Find it by name instead."
        action={
          <ButtonLink href="/experiments" variant="primary">
            Browse experiments
          </ButtonLink>
        }
      />
    </>
  );
}
