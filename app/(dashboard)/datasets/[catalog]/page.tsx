import type { Metadata } from "next";
import { DatasetSearchForm } from "@/components/datasets/dataset-search-form";
import { SchemasTable } from "@/components/datasets/dataset-lists";
import { decodeSegment, load } from "@/components/datasets/load";
import { SectionError } from "@/components/datasets/section-error";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { listSchemas } from "@/lib/dal/datasets";

type Params = { catalog: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  return { title: `${decodeSegment((await params).catalog)} · Datasets` };
}

export default async function CatalogPage({ params }: { params: Promise<Params> }) {
  const user = await requirePageUser("datasets:read");
  const catalog = decodeSegment((await params).catalog);
  const result = await load(() => listSchemas(user, catalog), { isNotFoundFatal: true });
  const breadcrumbs = [{ label: "Datasets", href: "/datasets" }, { label: catalog }];
  if (!result.ok) {
    return (
      <>
        <PageHeader title={catalog} breadcrumbs={breadcrumbs} />
        <Card>
          <SectionError title="Schemas unavailable" message={result.message} />
        </Card>
      </>
    );
  }
  const { catalog: info, schemas } = result.value;
  return (
    <>
      <PageHeader
        title={<span className="font-mono">{info.name}</span>}
        breadcrumbs={breadcrumbs}
        description={info.comment ?? undefined}
        meta={info.owner ? <span>Owner {info.owner}</span> : undefined}
      />
      <div className="space-y-6">
        <DatasetSearchForm />
        <Card title={`${schemas.length} ${schemas.length === 1 ? "schema" : "schemas"}`} padding="none">
          <SchemasTable schemas={schemas} caption={`Schemas in ${info.name}`} />
        </Card>
      </div>
    </>
  );
}
