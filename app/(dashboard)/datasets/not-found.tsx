import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export default function DatasetNotFound() {
  return (
    <>
      <PageHeader
        title="Not found"
        breadcrumbs={[{ label: "Datasets", href: "/datasets" }, { label: "Not found" }]}
      />
      <EmptyState
        title="No such catalog, schema or table"
        description="It may have been renamed or dropped, or Switchboard's service principal may not be allowed to see it. Search for it instead."
        action={
          <ButtonLink href="/datasets" variant="primary">
            Browse datasets
          </ButtonLink>
        }
      />
    </>
  );
}
