import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export default function FeatureNotFound() {
  return (
    <>
      <PageHeader
        title="Not found"
        breadcrumbs={[{ label: "Features", href: "/features" }, { label: "Not found" }]}
      />
      <EmptyState
        title="No such feature view"
        description="It may have been removed from the Feast registry, or the name mistyped. Pick it from the list instead."
        action={
          <ButtonLink href="/features" variant="primary">
            All feature views
          </ButtonLink>
        }
      />
    </>
  );
}
