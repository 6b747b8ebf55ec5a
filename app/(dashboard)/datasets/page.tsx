import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Datasets" };

export default async function DatasetsPage() {
  await requirePageUser("datasets:read");
  return (
    <>
      <PageHeader title="Datasets" />
      <EmptyState title="No datasets to show yet" description="Unity Catalog catalogs, schemas and tables will be listed here, with columns, sample rows, quality checks and lineage." />
    </>
  );
}
