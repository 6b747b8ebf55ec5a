import type { Metadata } from "next";
import { TablesTable } from "@/components/datasets/dataset-lists";
import { decodeSegment, load } from "@/components/datasets/load";
import { SectionError } from "@/components/datasets/section-error";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { requirePageUser } from "@/lib/auth/session";
import { datasetHref, listSchemas, listTables } from "@/lib/dal/datasets";
import { tablesQuery } from "@/lib/validation/datasets";

type Params = { catalog: string; schema: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { catalog, schema } = await params;
  return { title: `${decodeSegment(catalog)}.${decodeSegment(schema)} · Datasets` };
}

export default async function SchemaPage({
  params,
  searchParams,
}: {
  params: Promise<Params>;
  searchParams: Promise<{ page?: string }>;
}) {
  const user = await requirePageUser("datasets:read");
  const { catalog: rawCatalog, schema: rawSchema } = await params;
  const [catalog, schema] = [decodeSegment(rawCatalog), decodeSegment(rawSchema)];
  const parsed = tablesQuery.safeParse(await searchParams);
  const page = parsed.success ? parsed.data.page : 1;
  const breadcrumbs = [
    { label: "Datasets", href: "/datasets" },
    { label: catalog, href: datasetHref(catalog) },
    { label: schema },
  ];
  const [tables, schemas] = await Promise.all([
    load(() => listTables(user, catalog, schema, { page }), { isNotFoundFatal: true }),
    load(() => listSchemas(user, catalog)),
  ]);
  const info = schemas.ok ? schemas.value.schemas.find((s) => s.name === schema.toLowerCase()) : undefined;
  const schemaHref = datasetHref(`${catalog}.${schema}`);
  return (
    <>
      <PageHeader
        title={
          <span className="font-mono">
            {catalog}.{schema}
          </span>
        }
        breadcrumbs={breadcrumbs}
        description={info?.comment ?? undefined}
        meta={info?.owner ? <span>Owner {info.owner}</span> : undefined}
      />
      {tables.ok ? (
        <Card
          title={
            tables.value.hasMore || page > 1
              ? `Tables ${tables.value.firstIndex + 1}–${tables.value.firstIndex + tables.value.tables.length}`
              : `${tables.value.tables.length} ${tables.value.tables.length === 1 ? "table" : "tables"}`
          }
          padding="none"
          footer={
            tables.value.hasMore || page > 1 ? (
              <Pagination
                label="Table pages"
                summary={`Page ${page}`}
                previousHref={
                  page > 1 ? (page === 2 ? schemaHref : `${schemaHref}?page=${page - 1}`) : undefined
                }
                nextHref={tables.value.hasMore ? `${schemaHref}?page=${page + 1}` : undefined}
                className="py-0"
              />
            ) : undefined
          }
        >
          <TablesTable tables={tables.value.tables} caption={`Tables in ${catalog}.${schema}`} />
        </Card>
      ) : (
        <Card>
          <SectionError title="Tables unavailable" message={tables.message} />
        </Card>
      )}
    </>
  );
}
