import type { FastifyInstance } from "fastify";
import { dataEpochMs } from "../data/telco";
import { ApiError } from "../lib/errors";
import {
  catalogs,
  downstreamsOf,
  findCatalog,
  findTable,
  fullNameOf,
  metastoreId,
  sparkTypes,
  stableId,
  tables,
  workspaceId,
  type EstateCatalog,
  type EstateTable,
} from "./estate";

/**
 * Unity Catalog's read API (`/api/2.1/unity-catalog/...`, shapes from databricks-sdk-py
 * service/catalog.py) and table lineage (`/api/2.0/lineage-tracking/table-lineage`).
 */

const dayMs = 86_400_000;
/** Every table was last written by the nightly batch on the last generated day. */
const lastRefreshMs = dataEpochMs + 29 * dayMs + 3 * 3_600_000;
const serverPageSize = { catalogs: 50, schemas: 50, tables: 50 };

type Query = Record<string, string | undefined>;

interface PageToken {
  /** Listing the token belongs to. */
  k: string;
  /** Offset of the next item. */
  o: number;
  /** Page number, which decides (deterministically) whether an empty page comes first. */
  p: number;
  /** The empty page for this position was already served. */
  e?: 1;
}

const hashOf = (text: string) =>
  [...text].reduce((h, ch) => Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0, 2166136261);

const encodeToken = (token: PageToken) => Buffer.from(JSON.stringify(token)).toString("base64url");

function decodeToken(raw: string, listing: string): PageToken {
  try {
    const token = JSON.parse(Buffer.from(raw, "base64url").toString()) as PageToken;
    if (token.k === listing && Number.isInteger(token.o) && token.o >= 0 && Number.isInteger(token.p))
      return token;
  } catch {
    // fall through to the error below
  }
  throw new ApiError("INVALID_PARAMETER_VALUE", `Invalid page_token: ${raw.slice(0, 40)}`);
}

/**
 * Pages a listing like Unity Catalog: max_results unset returns everything, 0 means the server's
 * page size. Like the real service (which filters pages after reading them), some pages come back
 * empty but with a next_page_token; here that happens deterministically for a third of page numbers.
 */
export function pageOf<T>(
  items: T[],
  listing: string,
  query: Query,
  serverMax: number,
): { items: T[]; nextPageToken?: string } {
  if (query.max_results === undefined && !query.page_token) return { items };
  const requested = query.max_results === undefined ? 0 : Number(query.max_results);
  if (!Number.isInteger(requested) || requested < 0)
    throw new ApiError(
      "INVALID_PARAMETER_VALUE",
      `max_results must be a non-negative integer, got ${query.max_results}`,
    );
  const size = requested === 0 ? serverMax : Math.min(requested, serverMax);
  const token = query.page_token ? decodeToken(query.page_token, listing) : { k: listing, o: 0, p: 0 };
  if (!token.e && (hashOf(listing) + token.p) % 3 === 1 && token.o < items.length) {
    return { items: [], nextPageToken: encodeToken({ ...token, e: 1 }) };
  }
  const page = items.slice(token.o, token.o + size);
  const next = token.o + size;
  return {
    items: page,
    nextPageToken: next < items.length ? encodeToken({ k: listing, o: next, p: token.p + 1 }) : undefined,
  };
}

function catalogInfo(catalog: EstateCatalog) {
  return {
    name: catalog.name,
    full_name: catalog.name,
    comment: catalog.comment,
    owner: catalog.owner,
    catalog_type: "MANAGED_CATALOG",
    isolation_mode: "OPEN",
    securable_type: "CATALOG",
    metastore_id: metastoreId,
    storage_root: `abfss://uc-${catalog.name}@sttelcometastore.dfs.core.windows.net/`,
    created_at: dataEpochMs - 600 * dayMs,
    created_by: "platform-admins@telco.example",
    updated_at: dataEpochMs - 120 * dayMs,
    updated_by: "platform-admins@telco.example",
    properties: { environment: "prod" },
  };
}

function schemaInfo(catalog: EstateCatalog, schema: EstateCatalog["schemas"][number]) {
  return {
    name: schema.name,
    catalog_name: catalog.name,
    full_name: `${catalog.name}.${schema.name}`,
    comment: schema.comment,
    owner: catalog.owner,
    metastore_id: metastoreId,
    schema_id: stableId(`${catalog.name}.${schema.name}`),
    catalog_type: "MANAGED_CATALOG",
    securable_type: "SCHEMA",
    created_at: dataEpochMs - 500 * dayMs,
    created_by: "platform-admins@telco.example",
    updated_at: dataEpochMs - 90 * dayMs,
    updated_by: "platform-admins@telco.example",
  };
}

const isView = (table: EstateTable) => table.tableType === "VIEW" || table.tableType === "MATERIALIZED_VIEW";

function storageLocation(table: EstateTable): string | undefined {
  if (table.tableType === "VIEW") return undefined;
  if (table.tableType === "EXTERNAL")
    return `abfss://${table.catalog}@sttelcolake.dfs.core.windows.net/${table.schema}/${table.name}`;
  return `abfss://uc-${table.catalog}@sttelcometastore.dfs.core.windows.net/__unitystorage/catalogs/${stableId(table.catalog)}/tables/${stableId(fullNameOf(table))}`;
}

export function tableInfo(table: EstateTable, omitColumns = false) {
  const fullName = fullNameOf(table);
  const columns = table.columns.map((column, position) => {
    const partitionIndex = table.partitionColumns?.indexOf(column.name) ?? -1;
    const type = sparkTypes[column.type];
    return {
      name: column.name,
      type_name: type.typeName,
      type_text: type.typeText,
      type_json: JSON.stringify({
        name: column.name,
        type: type.jsonType,
        nullable: column.nullable ?? false,
        metadata: { comment: column.comment },
      }),
      position,
      nullable: column.nullable ?? false,
      comment: column.comment,
      ...(partitionIndex >= 0 ? { partition_index: partitionIndex } : {}),
    };
  });
  const isDelta = table.format === "DELTA" || table.tableType === "MATERIALIZED_VIEW";
  return {
    name: table.name,
    catalog_name: table.catalog,
    schema_name: table.schema,
    full_name: fullName,
    table_type: table.tableType,
    ...(isView(table) && table.tableType === "VIEW" ? {} : { data_source_format: table.format ?? "DELTA" }),
    ...(omitColumns ? {} : { columns }),
    ...(storageLocation(table) ? { storage_location: storageLocation(table) } : {}),
    ...(table.viewDefinition ? { view_definition: table.viewDefinition } : {}),
    properties: {
      ...(isDelta
        ? {
            "delta.minReaderVersion": "3",
            "delta.minWriterVersion": "7",
            "delta.enableDeletionVectors": "true",
          }
        : {}),
      "quality.tier": table.catalog === "raw" ? "bronze" : table.catalog === "main" ? "silver" : "gold",
      ...(table.producedBy
        ? { "switchboard.produced_by": `${table.producedBy.kind}:${table.producedBy.id}` }
        : {}),
    },
    comment: table.comment,
    owner: table.owner,
    table_id: stableId(fullName),
    metastore_id: metastoreId,
    securable_type: "TABLE",
    created_at: dataEpochMs - table.createdDaysAgo * dayMs,
    created_by: `${table.owner}@telco.example`,
    updated_at:
      isView(table) && table.tableType === "VIEW"
        ? dataEpochMs - table.createdDaysAgo * dayMs
        : lastRefreshMs,
    updated_by: `${table.owner}@telco.example`,
  };
}

// Missing securables answer 404 (what the SDKs map to NotFound). The specific codes
// (CATALOG_/SCHEMA_/TABLE_DOES_NOT_EXIST) follow public client code, unverified against a live workspace.
function requireCatalog(name: string | undefined): EstateCatalog {
  if (!name) throw new ApiError("INVALID_PARAMETER_VALUE", "catalog_name is required.");
  const catalog = findCatalog(name);
  if (!catalog) throw new ApiError("CATALOG_DOES_NOT_EXIST", `Catalog '${name}' does not exist.`, 404);
  return catalog;
}

function requireSchema(catalogName: string | undefined, schemaName: string | undefined) {
  const catalog = requireCatalog(catalogName);
  if (!schemaName) throw new ApiError("INVALID_PARAMETER_VALUE", "schema_name is required.");
  const schema = catalog.schemas.find((s) => s.name === schemaName.toLowerCase());
  if (!schema)
    throw new ApiError(
      "SCHEMA_DOES_NOT_EXIST",
      `Schema '${catalog.name}.${schemaName}' does not exist.`,
      404,
    );
  return { catalog, schema };
}

const truthy = (value: unknown) => value === true || value === "true";

/** "2026-10-30 03:00:00.0", the form the lineage API uses for lineage_timestamp (from public clients; unverified against a live workspace). */
const lineageTimestamp = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, ".0");

/** Unity Catalog table types as the lineage API reports them. */
const lineageTableType = (table: EstateTable) =>
  table.tableType === "VIEW"
    ? "VIEW"
    : table.tableType === "MATERIALIZED_VIEW"
      ? "MATERIALIZED_VIEW"
      : "TABLE";

function entityInfos(producer: EstateTable["producedBy"], timestamp: string) {
  if (!producer) return {};
  switch (producer.kind) {
    case "notebook":
      return {
        notebookInfos: [
          { workspace_id: workspaceId, notebook_id: Number(producer.id), lineage_timestamp: timestamp },
        ],
      };
    case "job":
      return {
        jobInfos: [{ workspace_id: workspaceId, job_id: Number(producer.id), lineage_timestamp: timestamp }],
      };
    case "pipeline":
      return {
        pipelineInfos: [
          {
            workspace_id: workspaceId,
            pipeline_id: producer.id,
            update_id: stableId(`${producer.id}:update`),
            lineage_timestamp: timestamp,
          },
        ],
      };
  }
}

/**
 * The lineage API is documented only in part: the item keys (tableInfo, fileInfo, notebookInfos,
 * jobInfos, pipelineInfos) follow public clients (datahub's unity proxy, Databricks' own example
 * notebooks); entity infos sit on the same item as the table they connect. Empty sides are omitted.
 */
export function tableLineage(table: EstateTable, includeEntities: boolean) {
  const timestamp = lineageTimestamp(lastRefreshMs);
  const tableItem = (other: EstateTable, producer: EstateTable["producedBy"]) => ({
    tableInfo: {
      name: other.name,
      catalog_name: other.catalog,
      schema_name: other.schema,
      table_type: lineageTableType(other),
      lineage_timestamp: timestamp,
    },
    ...(includeEntities ? entityInfos(producer, timestamp) : {}),
  });
  const upstreams = [
    ...(table.upstreams ?? [])
      .map((name) => findTable(name))
      .filter((t): t is EstateTable => !!t)
      .map((upstream) => tableItem(upstream, table.producedBy)),
    ...(table.upstreamPaths ?? []).map((path) => ({
      fileInfo: {
        path,
        has_permission: true,
        securable_type: "EXTERNAL_LOCATION",
        securable_name: "landing",
        storage_location: path,
        lineage_timestamp: timestamp,
      },
      ...(includeEntities ? entityInfos(table.producedBy, timestamp) : {}),
    })),
  ];
  const downstreams = downstreamsOf(fullNameOf(table)).map((downstream) =>
    tableItem(downstream, downstream.producedBy),
  );
  return { ...(upstreams.length ? { upstreams } : {}), ...(downstreams.length ? { downstreams } : {}) };
}

export function registerCatalogRoutes(app: FastifyInstance) {
  // GET /api/2.1/unity-catalog/catalogs – list catalogs
  app.get("/api/2.1/unity-catalog/catalogs", async (request) => {
    const page = pageOf(catalogs, "catalogs", request.query as Query, serverPageSize.catalogs);
    return {
      catalogs: page.items.map(catalogInfo),
      ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
    };
  });

  app.get<{ Params: { name: string } }>("/api/2.1/unity-catalog/catalogs/:name", async (request) =>
    catalogInfo(requireCatalog(request.params.name)),
  );

  app.get("/api/2.1/unity-catalog/schemas", async (request) => {
    const query = request.query as Query;
    const catalog = requireCatalog(query.catalog_name);
    const page = pageOf(catalog.schemas, `schemas:${catalog.name}`, query, serverPageSize.schemas);
    return {
      schemas: page.items.map((schema) => schemaInfo(catalog, schema)),
      ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
    };
  });

  app.get<{ Params: { fullName: string } }>("/api/2.1/unity-catalog/schemas/:fullName", async (request) => {
    const parts = request.params.fullName.split(".");
    if (parts.length !== 2)
      throw new ApiError(
        "INVALID_PARAMETER_VALUE",
        `Invalid schema full name '${request.params.fullName}': expected catalog.schema.`,
      );
    const { catalog, schema } = requireSchema(parts[0], parts[1]);
    return schemaInfo(catalog, schema);
  });

  app.get("/api/2.1/unity-catalog/tables", async (request) => {
    const query = request.query as Query;
    const { catalog, schema } = requireSchema(query.catalog_name, query.schema_name);
    const inSchema = tables
      .filter((t) => t.catalog === catalog.name && t.schema === schema.name)
      .sort((a, b) => a.name.localeCompare(b.name));
    const page = pageOf(inSchema, `tables:${catalog.name}.${schema.name}`, query, serverPageSize.tables);
    return {
      tables: page.items.map((t) => tableInfo(t, truthy(query.omit_columns))),
      ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
    };
  });

  app.get<{ Params: { fullName: string } }>("/api/2.1/unity-catalog/tables/:fullName", async (request) => {
    const parts = request.params.fullName.split(".");
    if (parts.length !== 3 || parts.some((p) => !p))
      throw new ApiError(
        "INVALID_PARAMETER_VALUE",
        `Invalid table full name '${request.params.fullName}': expected catalog.schema.table.`,
      );
    requireSchema(parts[0], parts[1]);
    const table = findTable(request.params.fullName);
    if (!table)
      throw new ApiError("TABLE_DOES_NOT_EXIST", `Table '${request.params.fullName}' does not exist.`, 404);
    return tableInfo(table);
  });

  // GET /api/2.0/lineage-tracking/table-lineage – clients send the arguments as a query or as a JSON body on the GET
  app.get("/api/2.0/lineage-tracking/table-lineage", async (request) => {
    const args = { ...((request.body as Query | undefined) ?? {}), ...(request.query as Query) };
    if (!args.table_name) throw new ApiError("INVALID_PARAMETER_VALUE", "table_name is required.");
    const table = findTable(String(args.table_name));
    // Unverified: what the real service answers for a table that does not exist.
    if (!table) throw new ApiError("RESOURCE_DOES_NOT_EXIST", `Table '${args.table_name}' does not exist.`);
    return tableLineage(table, truthy(args.include_entity_lineage));
  });
}
