import "server-only";
import { assertCan, type CurrentUser } from "@/lib/auth/session";
import { createLazyListing, type LazyListing } from "@/lib/cache/lazy-listing";
import { createTtlCache } from "@/lib/cache/ttl-cache";
import { getCloudClients } from "@/lib/cloud";
import { getConfig } from "@/lib/config";
import { CloudApiError } from "@/lib/clients/http";
import type { MlflowClient } from "@/lib/clients/mlflow";
import { type SqlClient, type SqlValue } from "@/lib/clients/sql";
import {
  parseTableName,
  type CatalogInfo,
  type TableInfo,
  type UnityCatalogClient,
} from "@/lib/clients/unity-catalog";
import { getDb, type PrismaClient } from "@/lib/db/client";
import { findVersionPromotions } from "@/lib/db/promotions";
import { translateCloudError } from "@/lib/cloud-errors";
import { AppError } from "@/lib/errors";

/**
 * Unity Catalog browsing for people with datasets:read. Everything read from the cloud goes through
 * short server-side caches (per process) and a deadline, so a slow workspace degrades one section
 * of a page into an error with a retry, never a page that hangs. Names and comments are searched in
 * an index built lazily per catalog (Unity Catalog has no search endpoint).
 */

export const defaultQualityResultsTable = "main.quality.expectation_results";
export const tablesPageSize = 50;
export const sampleRowCount = 20;
const recentValidationRuns = 14;
const searchResultLimit = 100;
/** Past this many entries a catalog's index stops growing and says so (a real metastore can be huge). */
const maxIndexEntriesPerCatalog = 20_000;

export interface DatasetSources {
  unityCatalog: Pick<
    UnityCatalogClient,
    "iterateCatalogs" | "iterateSchemas" | "iterateTables" | "getTable" | "getTableLineage"
  >;
  sql: Pick<SqlClient, "countRows" | "sampleRows" | "expectationResults">;
  mlflow: Pick<MlflowClient, "searchModelVersions">;
  db: PrismaClient;
  qualityResultsTable?: string;
  /** How long a page waits for one Unity Catalog read before showing its error state. */
  catalogDeadlineMs?: number;
  /** How long a page waits for one SQL warehouse statement (it is cancelled after). */
  sqlDeadlineMs?: number;
  tablesPageSize?: number;
  /** Lifetime of cached listings and table details; the search index and lineage live 5x longer. */
  cacheTtlMs?: number;
}

export type DatasetKind = "catalog" | "schema" | "table";

export interface SearchEntry {
  kind: DatasetKind;
  fullName: string;
  name: string;
  comment: string | null;
  tableType: string | null;
}

export interface CatalogIndex {
  catalog: string;
  entries: SearchEntry[];
  isTruncated: boolean;
  builtAt: string;
}

/** The page of a catalog, schema or table: /datasets/<catalog>[/<schema>[/<table>]]. */
import { datasetHref } from "@/lib/navigation";
export { datasetHref };

/** Ranks entries whose name or comment holds every word of the query; names weigh more than comments. */
export function rankSearchEntries(
  entries: SearchEntry[],
  query: string,
  limit = searchResultLimit,
): (SearchEntry & { score: number })[] {
  const needle = query.trim().toLowerCase();
  const words = needle.split(/[\s.]+/).filter(Boolean);
  if (!words.length) return [];
  const ranked: (SearchEntry & { score: number })[] = [];
  for (const entry of entries) {
    const name = entry.name.toLowerCase();
    const fullName = entry.fullName.toLowerCase();
    const comment = entry.comment?.toLowerCase() ?? "";
    let score = 0;
    let isMatch = true;
    for (const word of words) {
      if (name === word) score += 60;
      else if (name.startsWith(word)) score += 35;
      else if (name.includes(word)) score += 20;
      else if (fullName.includes(word)) score += 8;
      else if (comment.includes(word)) score += 4;
      else {
        isMatch = false;
        break;
      }
    }
    if (!isMatch) continue;
    if (fullName === needle || name === needle) score += 100;
    if (entry.kind === "table") score += 3;
    ranked.push({ ...entry, score });
  }
  return ranked.sort((a, b) => b.score - a.score || a.fullName.localeCompare(b.fullName)).slice(0, limit);
}

/** Rejects after `ms` so a page can show its error state; the call itself may still finish (and fill the cache). */
function withDeadline<T>(promise: Promise<T>, ms: number, service: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new CloudApiError(service, 0, "DEADLINE_EXCEEDED", `no answer within ${ms} ms`, true)),
      ms,
    );
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Turns a cloud failure into an AppError that says what happened; anything else is a bug and is rethrown. */
export function toDatasetError(error: unknown, what: string): AppError {
  const known = translateCloudError(error, what);
  if (!known) throw error;
  return known;
}

function checkTableName(fullName: string): string {
  try {
    parseTableName(fullName);
  } catch {
    throw new AppError(
      "NOT_FOUND",
      `"${fullName}" is not a Unity Catalog table name (catalog.schema.table).`,
    );
  }
  return fullName.toLowerCase();
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** Sample cells as JSON-safe values: BIGINTs past 2^53 become their decimal text. */
const plainCell = (value: SqlValue): string | number | boolean | null =>
  typeof value === "bigint" ? value.toString() : value;

function toTableSummary(table: TableInfo) {
  return {
    name: table.name,
    fullName: table.fullName,
    tableType: table.tableType,
    format: table.dataSourceFormat ?? null,
    comment: table.comment ?? null,
    owner: table.owner ?? null,
    updatedAt: iso(table.updatedAt),
  };
}

function toTableDetails(table: TableInfo) {
  return {
    ...toTableSummary(table),
    catalogName: table.catalogName,
    schemaName: table.schemaName,
    storageLocation: table.storageLocation ?? null,
    viewDefinition: table.viewDefinition ?? null,
    createdAt: iso(table.createdAt),
    createdBy: table.createdBy ?? null,
    updatedBy: table.updatedBy ?? null,
    properties: Object.entries(table.properties)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => ({ key, value })),
    columns: (table.columns ?? []).map((column) => ({
      name: column.name,
      typeText: column.typeText,
      typeName: column.typeName,
      isNullable: column.nullable,
      comment: column.comment ?? null,
      partitionIndex: column.partitionIndex ?? null,
    })),
  };
}

export type TableSummary = ReturnType<typeof toTableSummary>;
export type TableDetails = ReturnType<typeof toTableDetails>;

export function createDatasetsReader(sources: DatasetSources) {
  const { unityCatalog, sql, mlflow, db } = sources;
  const qualityResultsTable = sources.qualityResultsTable ?? defaultQualityResultsTable;
  const catalogDeadlineMs = sources.catalogDeadlineMs ?? 12_000;
  const sqlDeadlineMs = sources.sqlDeadlineMs ?? 25_000;
  const ttlMs = sources.cacheTtlMs ?? 60_000;
  const pageSize = sources.tablesPageSize ?? tablesPageSize;

  const listings = createTtlCache<LazyListing<unknown>>({ ttlMs, maxEntries: 300 });
  const indexes = createTtlCache<CatalogIndex>({ ttlMs: ttlMs * 5, maxEntries: 200 });
  const tables = createTtlCache<TableInfo>({ ttlMs, maxEntries: 500 });
  const sqlResults = createTtlCache<unknown>({ ttlMs: ttlMs * 2, maxEntries: 500 });
  const lineages = createTtlCache<Awaited<ReturnType<UnityCatalogClient["getTableLineage"]>>>({
    ttlMs: ttlMs * 5,
    maxEntries: 500,
  });

  /** A listing from the cache, dropped as soon as one of its pages fails so the next read starts over. */
  async function readListing<T, R>(
    key: string,
    open: () => AsyncIterable<T>,
    read: (listing: LazyListing<T>) => Promise<R>,
    what: string,
  ): Promise<R> {
    const listing = (await listings.getOrLoad(
      key,
      async () => createLazyListing(open()) as LazyListing<unknown>,
    )) as LazyListing<T>;
    try {
      return await withDeadline(read(listing), catalogDeadlineMs, "Unity Catalog");
    } catch (error) {
      if (listing.isBroken) listings.delete(key);
      throw toDatasetError(error, what);
    }
  }

  const allCatalogs = () =>
    readListing<CatalogInfo, CatalogInfo[]>(
      "catalogs",
      () => unityCatalog.iterateCatalogs(),
      (l) => l.all(),
      "the list of catalogs",
    );

  async function buildCatalogIndex(catalog: { name: string; comment?: string }): Promise<CatalogIndex> {
    const entries: SearchEntry[] = [
      {
        kind: "catalog",
        fullName: catalog.name,
        name: catalog.name,
        comment: catalog.comment ?? null,
        tableType: null,
      },
    ];
    const schemas: { name: string; fullName: string }[] = [];
    for await (const schema of unityCatalog.iterateSchemas(catalog.name)) {
      schemas.push(schema);
      entries.push({
        kind: "schema",
        fullName: schema.fullName,
        name: schema.name,
        comment: schema.comment ?? null,
        tableType: null,
      });
    }
    let isTruncated = false;
    // A few schemas at a time: fast on a small catalog, polite to the API on a big one.
    const queue = [...schemas];
    await Promise.all(
      Array.from({ length: Math.min(4, queue.length) }, async () => {
        for (let schema = queue.shift(); schema && !isTruncated; schema = queue.shift()) {
          for await (const table of unityCatalog.iterateTables(catalog.name, schema.name, {
            omitColumns: true,
          })) {
            if (entries.length >= maxIndexEntriesPerCatalog) {
              isTruncated = true;
              break;
            }
            entries.push({
              kind: "table",
              fullName: table.fullName,
              name: table.name,
              comment: table.comment ?? null,
              tableType: table.tableType,
            });
          }
        }
      }),
    );
    return { catalog: catalog.name, entries, isTruncated, builtAt: new Date().toISOString() };
  }

  async function cachedSql<T>(
    key: string,
    what: string,
    run: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    try {
      return (await withDeadline(
        sqlResults.getOrLoad(key, () => run(AbortSignal.timeout(sqlDeadlineMs))),
        sqlDeadlineMs + 1_000,
        "Databricks SQL",
      )) as T;
    } catch (error) {
      throw toDatasetError(error, what);
    }
  }

  return {
    async listCatalogs(user: CurrentUser) {
      assertCan(user, "datasets:read");
      const catalogs = await allCatalogs();
      return catalogs.map((c) => ({
        name: c.name,
        comment: c.comment ?? null,
        owner: c.owner ?? null,
        catalogType: c.catalogType ?? null,
      }));
    },

    async listSchemas(user: CurrentUser, catalog: string) {
      assertCan(user, "datasets:read");
      const name = catalog.toLowerCase();
      const known = await allCatalogs();
      const info = known.find((c) => c.name === name);
      if (!info)
        throw new AppError(
          "NOT_FOUND",
          `There is no catalog named "${catalog}" (or Switchboard may not see it).`,
        );
      const schemas = await readListing(
        `schemas:${name}`,
        () => unityCatalog.iterateSchemas(name),
        (l) => l.all(),
        `the schemas of ${name}`,
      );
      return {
        catalog: { name: info.name, comment: info.comment ?? null, owner: info.owner ?? null },
        schemas: schemas.map((s) => ({
          name: s.name,
          fullName: s.fullName,
          comment: s.comment ?? null,
          owner: s.owner ?? null,
          updatedAt: iso(s.updatedAt),
        })),
      };
    },

    /** One page of a schema's tables; the listing is read from the API only up to that page. */
    async listTables(
      user: CurrentUser,
      catalog: string,
      schema: string,
      { page = 1 }: { page?: number } = {},
    ) {
      assertCan(user, "datasets:read");
      const [catalogName, schemaName] = [catalog.toLowerCase(), schema.toLowerCase()];
      const { items, hasMore } = await readListing(
        `tables:${catalogName}.${schemaName}`,
        () => unityCatalog.iterateTables(catalogName, schemaName, { omitColumns: true }),
        (l) => l.take(page * pageSize),
        `the tables of ${catalogName}.${schemaName}`,
      );
      const pageItems = items.slice((page - 1) * pageSize);
      if (page > 1 && pageItems.length === 0)
        throw new AppError("NOT_FOUND", `${catalogName}.${schemaName} has no page ${page} of tables.`);
      return {
        tables: pageItems.map(toTableSummary),
        page,
        pageSize,
        hasMore,
        firstIndex: (page - 1) * pageSize,
      };
    },

    /** Searches every visible catalog's names and comments; a catalog that fails to index is reported, not fatal. */
    async searchDatasets(user: CurrentUser, query: string) {
      assertCan(user, "datasets:read");
      const catalogs = await allCatalogs();
      const settled = await Promise.allSettled(
        catalogs.map((catalog) =>
          withDeadline(
            indexes.getOrLoad(catalog.name, () => buildCatalogIndex(catalog)),
            catalogDeadlineMs * 2,
            "Unity Catalog",
          ),
        ),
      );
      const built = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
      const unavailable = settled.flatMap((s, i) =>
        s.status === "rejected"
          ? [
              {
                catalog: catalogs[i].name,
                message: toDatasetError(s.reason, `the tables of ${catalogs[i].name}`).message,
              },
            ]
          : [],
      );
      const results = rankSearchEntries(
        built.flatMap((index) => index.entries),
        query,
      );
      return {
        query,
        results: results.map(({ score: _score, ...entry }) => ({
          ...entry,
          href: datasetHref(entry.fullName),
        })),
        searchedEntries: built.reduce((sum, index) => sum + index.entries.length, 0),
        truncatedCatalogs: built.filter((index) => index.isTruncated).map((index) => index.catalog),
        unavailableCatalogs: unavailable,
        oldestIndexAt: built.map((index) => index.builtAt).sort()[0] ?? null,
      };
    },

    async getTable(user: CurrentUser, fullName: string): Promise<TableDetails> {
      assertCan(user, "datasets:read");
      const name = checkTableName(fullName);
      try {
        return toTableDetails(
          await withDeadline(
            tables.getOrLoad(name, () => unityCatalog.getTable(name)),
            catalogDeadlineMs,
            "Unity Catalog",
          ),
        );
      } catch (error) {
        throw toDatasetError(error, `the table ${name}`);
      }
    },

    async getRowCount(user: CurrentUser, fullName: string) {
      assertCan(user, "datasets:read");
      const name = checkTableName(fullName);
      const rowCount = await cachedSql(`count:${name}`, "the row count", (signal) =>
        sql.countRows(name, { signal }),
      );
      return { rowCount };
    },

    async getSampleRows(user: CurrentUser, fullName: string) {
      assertCan(user, "datasets:read");
      const name = checkTableName(fullName);
      const sample = await cachedSql(`sample:${name}`, "the sample rows", (signal) =>
        sql.sampleRows(name, sampleRowCount, { signal }),
      );
      return {
        columns: sample.columns.map((c) => ({ name: c.name, typeName: c.typeName })),
        rows: sample.rows.map((row) => sample.columns.map((c) => plainCell(row[c.name] ?? null))),
      };
    },

    /** The newest validation run's expectations, and pass/fail totals of the runs before it. */
    async getLatestQuality(user: CurrentUser, fullName: string) {
      assertCan(user, "datasets:read");
      const name = checkTableName(fullName);
      const results = await cachedSql(
        `quality:${qualityResultsTable}:${name}`,
        `the data-quality results in ${qualityResultsTable}`,
        (signal) => sql.expectationResults(name, { resultsTable: qualityResultsTable, limit: 500, signal }),
      ).catch((error: AppError) => {
        if (error.code === "NOT_FOUND")
          throw new AppError(
            "NOT_FOUND",
            `The data-quality results table ${qualityResultsTable} does not exist or Switchboard cannot see it. Set DATA_QUALITY_RESULTS_TABLE to the table your validation jobs write to.`,
            { cause: error },
          );
        throw error;
      });
      const runs = new Map<string, typeof results>();
      for (const result of results) runs.set(result.runId, [...(runs.get(result.runId) ?? []), result]);
      const summaries = [...runs.entries()]
        .map(([runId, rows]) => ({
          runId,
          checkedAt: rows[0].checkedAt,
          passed: rows.filter((r) => r.success).length,
          total: rows.length,
        }))
        .sort((a, b) => b.checkedAt.localeCompare(a.checkedAt));
      const latest = summaries[0];
      return {
        resultsTable: qualityResultsTable,
        latest: latest
          ? {
              ...latest,
              expectations: runs
                .get(latest.runId)!
                .map((r) => ({
                  expectationType: r.expectationType,
                  column: r.column,
                  isSuccess: r.success,
                  observedValue: r.observedValue,
                  unexpectedPercent: r.unexpectedPercent,
                  elementCount: r.elementCount,
                }))
                .sort(
                  (a, b) =>
                    Number(a.isSuccess) - Number(b.isSuccess) ||
                    (a.column ?? "").localeCompare(b.column ?? ""),
                ),
            }
          : null,
        recentRuns: summaries.slice(0, recentValidationRuns),
      };
    },

    async getLineage(user: CurrentUser, fullName: string) {
      assertCan(user, "datasets:read");
      const name = checkTableName(fullName);
      let lineage;
      try {
        lineage = await withDeadline(
          lineages.getOrLoad(name, () => unityCatalog.getTableLineage(name)),
          catalogDeadlineMs,
          "Unity Catalog",
        );
      } catch (error) {
        throw toDatasetError(error, `lineage for ${name}`);
      }
      const side = (nodes: typeof lineage.upstreams) => {
        const seen = new Set<string>();
        const tablesOnSide = [];
        const files = [];
        for (const node of nodes) {
          const key = node.table?.fullName ?? node.file?.path ?? "";
          if (seen.has(key)) continue;
          seen.add(key);
          const via = node.entities.map((e) => ({ kind: e.kind, id: e.id }));
          if (node.table)
            tablesOnSide.push({
              fullName: node.table.fullName,
              tableType: node.table.tableType ?? null,
              href: datasetHref(node.table.fullName),
              via,
            });
          else if (node.file) files.push({ path: node.file.path, via });
        }
        return { tables: tablesOnSide.sort((a, b) => a.fullName.localeCompare(b.fullName)), files };
      };
      return { upstream: side(lineage.upstreams), downstream: side(lineage.downstreams) };
    },

    /**
     * Switchboard's own record of who trained on this table, and the model versions registered from
     * those runs (MLflow model versions whose run_id is one of them), with any promotion requests.
     */
    async getUsage(user: CurrentUser, fullName: string) {
      assertCan(user, "datasets:read");
      const name = checkTableName(fullName);
      const runs = await db.trainingRun.findMany({
        where: { datasetFullName: { equals: name, mode: "insensitive" } },
        orderBy: { createdAt: "desc" },
        take: 100,
        select: {
          id: true,
          runName: true,
          status: true,
          modelFamily: true,
          mlflowRunId: true,
          createdAt: true,
          launchedBy: { select: { name: true } },
        },
      });
      const runByMlflowId = new Map(runs.filter((r) => r.mlflowRunId).map((r) => [r.mlflowRunId!, r]));
      const versions: {
        name: string;
        version: string;
        status: string;
        stage: string;
        aliases: string[];
        trainingRunId: string;
        trainingRunName: string;
      }[] = [];
      let registryError: string | null = null;
      try {
        const ids = [...runByMlflowId.keys()];
        for (let i = 0; i < ids.length; i += 50) {
          const filter = `run_id IN (${ids
            .slice(i, i + 50)
            .map((id) => `'${id.replaceAll("'", "")}'`)
            .join(", ")})`;
          const page = await withDeadline(
            mlflow.searchModelVersions({ filter, maxResults: 200 }),
            catalogDeadlineMs,
            "MLflow",
          );
          for (const v of page.items) {
            const run = runByMlflowId.get(v.runId ?? "");
            if (run)
              versions.push({
                name: v.name,
                version: v.version,
                status: v.status,
                stage: v.currentStage,
                aliases: v.aliases,
                trainingRunId: run.id,
                trainingRunName: run.runName,
              });
          }
        }
      } catch (error) {
        registryError = toDatasetError(error, "the model versions registered from these runs").message;
      }
      const promotions = await findVersionPromotions(
        db,
        versions.map((v) => ({ modelName: v.name, version: v.version })),
      );
      return {
        runs: runs.map((r) => ({
          id: r.id,
          runName: r.runName,
          status: r.status,
          modelFamily: r.modelFamily,
          launchedBy: r.launchedBy.name,
          createdAt: r.createdAt.toISOString(),
        })),
        modelVersions: versions
          .sort((a, b) => a.name.localeCompare(b.name) || Number(b.version) - Number(a.version))
          .map((v) => {
            const promotion = promotions.find((p) => p.modelName === v.name && p.version === v.version);
            return {
              ...v,
              promotion: promotion
                ? { id: promotion.id, status: promotion.status, target: promotion.target }
                : null,
            };
          }),
        registryError,
      };
    },
  };
}

export type DatasetsReader = ReturnType<typeof createDatasetsReader>;

const globalForDatasets = globalThis as unknown as { switchboardDatasets?: DatasetsReader };

/** The process's reader (its caches live as long as the process). */
function getDatasetsReader(): DatasetsReader {
  if (!globalForDatasets.switchboardDatasets) {
    const clients = getCloudClients();
    globalForDatasets.switchboardDatasets = createDatasetsReader({
      unityCatalog: clients.unityCatalog,
      sql: clients.sql,
      mlflow: clients.mlflow,
      db: getDb(),
      qualityResultsTable: getConfig().DATA_QUALITY_RESULTS_TABLE,
    });
  }
  return globalForDatasets.switchboardDatasets;
}

// What pages and routes call (the one DAL shape, docs/style.md): each bound to the real dependencies.
export const listCatalogs: DatasetsReader["listCatalogs"] = (...args) =>
  getDatasetsReader().listCatalogs(...args);
export const listSchemas: DatasetsReader["listSchemas"] = (...args) =>
  getDatasetsReader().listSchemas(...args);
export const listTables: DatasetsReader["listTables"] = (...args) => getDatasetsReader().listTables(...args);
export const searchDatasets: DatasetsReader["searchDatasets"] = (...args) =>
  getDatasetsReader().searchDatasets(...args);
export const getTable: DatasetsReader["getTable"] = (...args) => getDatasetsReader().getTable(...args);
export const getRowCount: DatasetsReader["getRowCount"] = (...args) =>
  getDatasetsReader().getRowCount(...args);
export const getSampleRows: DatasetsReader["getSampleRows"] = (...args) =>
  getDatasetsReader().getSampleRows(...args);
export const getLatestQuality: DatasetsReader["getLatestQuality"] = (...args) =>
  getDatasetsReader().getLatestQuality(...args);
export const getLineage: DatasetsReader["getLineage"] = (...args) => getDatasetsReader().getLineage(...args);
export const getUsage: DatasetsReader["getUsage"] = (...args) => getDatasetsReader().getUsage(...args);
