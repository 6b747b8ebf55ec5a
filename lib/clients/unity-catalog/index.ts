import { z } from "zod";
import { createHttpClient, paginate, type HttpClientOptions } from "../http";

/**
 * Unity Catalog's read API (catalogs, schemas, tables) and table lineage. Pure: configuration is
 * injected. Listings page until no token comes back, including past empty pages that carry one.
 */

export interface UnityCatalogClientOptions extends Omit<HttpClientOptions, "service" | "parseError"> {
  /** max_results per listing page; 0 lets the server choose (recommended by Databricks). */
  pageSize?: number;
}

const columnSchema = z
  .object({
    name: z.string(),
    type_name: z.string().optional(),
    type_text: z.string().optional(),
    type_json: z.string().optional(),
    position: z.number().int().optional(),
    nullable: z.boolean().optional(),
    comment: z.string().optional(),
    partition_index: z.number().int().optional(),
  })
  .transform((c) => ({
    name: c.name,
    typeName: c.type_name ?? "",
    typeText: c.type_text ?? c.type_name?.toLowerCase() ?? "",
    position: c.position,
    nullable: c.nullable ?? true,
    comment: c.comment,
    partitionIndex: c.partition_index,
  }));

const catalogSchema = z
  .object({
    name: z.string(),
    comment: z.string().optional(),
    owner: z.string().optional(),
    catalog_type: z.string().optional(),
    created_at: z.number().optional(),
    updated_at: z.number().optional(),
  })
  .transform((c) => ({
    name: c.name,
    comment: c.comment,
    owner: c.owner,
    catalogType: c.catalog_type,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  }));

const schemaSchema = z
  .object({
    name: z.string(),
    catalog_name: z.string(),
    full_name: z.string().optional(),
    comment: z.string().optional(),
    owner: z.string().optional(),
    created_at: z.number().optional(),
    updated_at: z.number().optional(),
  })
  .transform((s) => ({
    name: s.name,
    catalogName: s.catalog_name,
    fullName: s.full_name ?? `${s.catalog_name}.${s.name}`,
    comment: s.comment,
    owner: s.owner,
    createdAt: s.created_at,
    updatedAt: s.updated_at,
  }));

const tableSchema = z
  .object({
    name: z.string(),
    catalog_name: z.string(),
    schema_name: z.string(),
    full_name: z.string().optional(),
    table_type: z.string(),
    data_source_format: z.string().optional(),
    columns: z.array(columnSchema).optional(),
    storage_location: z.string().optional(),
    view_definition: z.string().optional(),
    properties: z.record(z.string(), z.string()).optional(),
    comment: z.string().optional(),
    owner: z.string().optional(),
    table_id: z.string().optional(),
    created_at: z.number().optional(),
    created_by: z.string().optional(),
    updated_at: z.number().optional(),
    updated_by: z.string().optional(),
  })
  .transform((t) => ({
    name: t.name,
    catalogName: t.catalog_name,
    schemaName: t.schema_name,
    fullName: t.full_name ?? `${t.catalog_name}.${t.schema_name}.${t.name}`,
    tableType: t.table_type,
    dataSourceFormat: t.data_source_format,
    /** Absent when listed with omitColumns. */
    columns: t.columns?.sort((a, b) => (a.position ?? 0) - (b.position ?? 0)),
    storageLocation: t.storage_location,
    viewDefinition: t.view_definition,
    properties: t.properties ?? {},
    comment: t.comment,
    owner: t.owner,
    tableId: t.table_id,
    createdAt: t.created_at,
    createdBy: t.created_by,
    updatedAt: t.updated_at,
    updatedBy: t.updated_by,
  }));

export type CatalogInfo = z.infer<typeof catalogSchema>;
export type SchemaInfo = z.infer<typeof schemaSchema>;
export type TableInfo = z.infer<typeof tableSchema>;
export type ColumnInfo = z.infer<typeof columnSchema>;

const entityInfo = z.object({ lineage_timestamp: z.string().optional() }).loose();
const lineageItemSchema = z
  .object({
    tableInfo: z
      .object({
        name: z.string(),
        catalog_name: z.string(),
        schema_name: z.string(),
        table_type: z.string().optional(),
        lineage_timestamp: z.string().optional(),
      })
      .optional(),
    fileInfo: z
      .object({
        path: z.string(),
        securable_type: z.string().optional(),
        securable_name: z.string().optional(),
        lineage_timestamp: z.string().optional(),
      })
      .optional(),
    notebookInfos: z.array(entityInfo.extend({ notebook_id: z.union([z.number(), z.string()]) })).optional(),
    jobInfos: z.array(entityInfo.extend({ job_id: z.union([z.number(), z.string()]) })).optional(),
    pipelineInfos: z.array(entityInfo.extend({ pipeline_id: z.string() })).optional(),
  })
  .transform((item) => ({
    table: item.tableInfo
      ? {
          fullName: `${item.tableInfo.catalog_name}.${item.tableInfo.schema_name}.${item.tableInfo.name}`,
          tableType: item.tableInfo.table_type,
          lineageTimestamp: item.tableInfo.lineage_timestamp,
        }
      : undefined,
    file: item.fileInfo
      ? {
          path: item.fileInfo.path,
          securableType: item.fileInfo.securable_type,
          securableName: item.fileInfo.securable_name,
        }
      : undefined,
    entities: [
      ...(item.notebookInfos ?? []).map((n) => ({ kind: "notebook" as const, id: String(n.notebook_id) })),
      ...(item.jobInfos ?? []).map((j) => ({ kind: "job" as const, id: String(j.job_id) })),
      ...(item.pipelineInfos ?? []).map((p) => ({ kind: "pipeline" as const, id: p.pipeline_id })),
    ],
  }));

/** Either side may be missing when empty, so both default to []. */
const lineageSchema = z
  .object({
    upstreams: z.array(lineageItemSchema).optional(),
    downstreams: z.array(lineageItemSchema).optional(),
  })
  .transform((l) => ({ upstreams: l.upstreams ?? [], downstreams: l.downstreams ?? [] }));

export type LineageNode = z.infer<typeof lineageItemSchema>;
export type TableLineage = z.infer<typeof lineageSchema>;

const token = { next_page_token: z.string().optional() };
const catalogsPage = z
  .object({ catalogs: z.array(catalogSchema).optional(), ...token })
  .transform((p) => ({ items: p.catalogs ?? [], nextPageToken: p.next_page_token }));
const schemasPage = z
  .object({ schemas: z.array(schemaSchema).optional(), ...token })
  .transform((p) => ({ items: p.schemas ?? [], nextPageToken: p.next_page_token }));
const tablesPage = z
  .object({ tables: z.array(tableSchema).optional(), ...token })
  .transform((p) => ({ items: p.tables ?? [], nextPageToken: p.next_page_token }));

/** Unity Catalog names: no dots (they separate levels), spaces, slashes or control characters; at most 255 characters. */
const namePart = /^[^. /\u0000-\u001f\u007f]{1,255}$/;

export function parseTableName(fullName: string): { catalog: string; schema: string; table: string } {
  const parts = fullName.split(".");
  if (parts.length !== 3 || !parts.every((part) => namePart.test(part)))
    throw new Error(`Not a Unity Catalog table name (catalog.schema.table): ${JSON.stringify(fullName)}`);
  return { catalog: parts[0], schema: parts[1], table: parts[2] };
}

function checkPart(kind: string, name: string) {
  if (!namePart.test(name))
    throw new Error(`Not a valid Unity Catalog ${kind} name: ${JSON.stringify(name)}`);
  return name;
}

export function createUnityCatalogClient(options: UnityCatalogClientOptions) {
  const http = createHttpClient({ ...options, service: "Unity Catalog" });
  const maxResults = options.pageSize ?? 0;

  function list<T>(
    path: string,
    schema: z.ZodType<{ items: T[]; nextPageToken?: string }>,
    query: Record<string, string | boolean | undefined>,
  ) {
    return paginate<T>((pageToken) =>
      http.request("GET", path, {
        query: { ...query, max_results: maxResults, page_token: pageToken },
        schema,
      }),
    );
  }

  return {
    iterateCatalogs: (): AsyncGenerator<CatalogInfo> =>
      list("/api/2.1/unity-catalog/catalogs", catalogsPage, {}),

    getCatalog: (name: string): Promise<CatalogInfo> =>
      http.request(
        "GET",
        `/api/2.1/unity-catalog/catalogs/${encodeURIComponent(checkPart("catalog", name))}`,
        { schema: catalogSchema },
      ),

    iterateSchemas: (catalog: string): AsyncGenerator<SchemaInfo> =>
      list("/api/2.1/unity-catalog/schemas", schemasPage, { catalog_name: checkPart("catalog", catalog) }),

    async getSchema(fullName: string): Promise<SchemaInfo> {
      const parts = fullName.split(".");
      if (parts.length !== 2)
        throw new Error(`Not a Unity Catalog schema name (catalog.schema): ${JSON.stringify(fullName)}`);
      parts.forEach((part) => checkPart("schema", part));
      return http.request("GET", `/api/2.1/unity-catalog/schemas/${encodeURIComponent(fullName)}`, {
        schema: schemaSchema,
      });
    },

    iterateTables: (
      catalog: string,
      schema: string,
      { omitColumns = false }: { omitColumns?: boolean } = {},
    ): AsyncGenerator<TableInfo> =>
      list("/api/2.1/unity-catalog/tables", tablesPage, {
        catalog_name: checkPart("catalog", catalog),
        schema_name: checkPart("schema", schema),
        omit_columns: omitColumns || undefined,
      }),

    async getTable(fullName: string): Promise<TableInfo> {
      parseTableName(fullName);
      return http.request("GET", `/api/2.1/unity-catalog/tables/${encodeURIComponent(fullName)}`, {
        schema: tableSchema,
      });
    },

    /** Immediate upstream and downstream tables (and, optionally, the notebooks, jobs and pipelines between them). */
    async getTableLineage(
      fullName: string,
      { includeEntityLineage = true }: { includeEntityLineage?: boolean } = {},
    ): Promise<TableLineage> {
      parseTableName(fullName);
      return http.request("GET", "/api/2.0/lineage-tracking/table-lineage", {
        query: { table_name: fullName, include_entity_lineage: includeEntityLineage },
        schema: lineageSchema,
      });
    },
  };
}

export type UnityCatalogClient = ReturnType<typeof createUnityCatalogClient>;
