import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { ApiError } from "../lib/errors";
import {
  deleteAlias,
  finishPendingRegistrations,
  getRegisteredModelRow,
  getVersionRow,
  isUnityCatalogName,
  setAlias,
  versionByAlias,
  versionExtras,
  type ModelVersionRow,
  type RegisteredModelRow,
} from "./registry";
import { decodePageToken, encodePageToken } from "./search-filter";
import { compact, invalidParameter, optionalBoolean, optionalInt, optionalString, type Args } from "./wire";

/**
 * The Unity Catalog model registry subset Switchboard reads (databricks-sdk-py catalog.py:
 * RegisteredModelInfo, ModelVersionInfo, RegisteredModelAlias). Versions are integers here and
 * there are no stages; the models live in the same tables as the workspace registry's.
 */

const metastoreId = "5a1d0c2e-7b4f-4e0a-9c61-3f2b8d9e0a17";
const workspaceId = 7_261_483_920_113_554;
const storageRoot = "abfss://unity-catalog@stsandboxmetastore.dfs.core.windows.net";
const pageLimit = 1000;

const stableId = (text: string) => {
  const hex = createHash("sha256").update(text).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

async function ucModelRow(db: pg.Pool, fullName: string): Promise<RegisteredModelRow> {
  if (!isUnityCatalogName(fullName))
    throw new ApiError("RESOURCE_DOES_NOT_EXIST", `Routine or Model '${fullName}' does not exist.`);
  return getRegisteredModelRow(db, fullName);
}

async function aliasesOf(db: pg.Pool, names: string[]) {
  const { rows } = await db.query<{ name: string; alias: string; version: number }>(
    "SELECT * FROM mlflow_registered_model_aliases WHERE name = ANY($1) ORDER BY alias",
    [names],
  );
  return (name: string) =>
    rows.filter((a) => a.name === name).map((a) => ({ alias_name: a.alias, version_num: a.version }));
}

function modelInfo(row: RegisteredModelRow, aliases?: Array<{ alias_name: string; version_num: number }>) {
  const [catalog, schema, name] = row.name.split(".");
  return compact({
    name,
    catalog_name: catalog,
    schema_name: schema,
    full_name: row.name,
    owner: row.owner || undefined,
    comment: row.description || undefined,
    storage_location: `${storageRoot}/models/${stableId(row.name)}`,
    metastore_id: metastoreId,
    created_at: Number(row.creation_timestamp),
    created_by: row.owner || undefined,
    updated_at: Number(row.last_updated_timestamp),
    updated_by: row.owner || undefined,
    aliases,
  });
}

async function versionInfos(db: pg.Pool, rows: ModelVersionRow[], includeAliases: boolean) {
  const extras = await versionExtras(db, rows);
  return rows.map((row) => {
    const [catalog, schema, name] = row.name.split(".");
    return compact({
      model_name: name,
      catalog_name: catalog,
      schema_name: schema,
      version: row.version,
      source: row.source,
      run_id: row.run_id || undefined,
      run_workspace_id: row.run_id ? workspaceId : undefined,
      status: row.status,
      comment: row.description || undefined,
      id: stableId(`${row.name}/${row.version}`),
      metastore_id: metastoreId,
      storage_location: `${storageRoot}/models/${stableId(row.name)}/versions/${stableId(`${row.name}/${row.version}`)}`,
      created_at: Number(row.creation_timestamp),
      created_by: row.user_id || undefined,
      updated_at: Number(row.last_updated_timestamp),
      updated_by: row.user_id || undefined,
      aliases: includeAliases
        ? extras(row.name, row.version).aliases.map((alias) => ({
            alias_name: alias,
            version_num: row.version,
          }))
        : undefined,
    });
  });
}

/**
 * Unity Catalog may answer an empty page that still carries a token, and clients must keep going.
 * This one does so once per listing that spans pages: the first page's token leads to an empty hop.
 */
const emptyHopPrefix = "hop.";
function readPageToken(args: Args): { offset: number; emptyHopTo?: string } {
  const token = optionalString(args, "page_token");
  if (token?.startsWith(emptyHopPrefix))
    return {
      offset: decodePageToken(token.slice(emptyHopPrefix.length)),
      emptyHopTo: token.slice(emptyHopPrefix.length),
    };
  return { offset: decodePageToken(token) };
}
const nextPageToken = (offset: number, limit: number, hasMore: boolean) =>
  !hasMore
    ? undefined
    : offset === 0
      ? `${emptyHopPrefix}${encodePageToken(limit)}`
      : encodePageToken(offset + limit);

function pageSize(args: Args) {
  const requested = optionalInt(args, "max_results");
  if (requested !== undefined && requested < 0)
    throw invalidParameter(`max_results must be non-negative, got ${requested}.`);
  return requested ? Math.min(requested, pageLimit) : pageLimit;
}

export function registerUnityCatalogModelRoutes(app: FastifyInstance, pool: pg.Pool) {
  const base = "/api/2.1/unity-catalog/models";
  const args = (request: { query: unknown; body: unknown }): Args => ({
    ...(request.query as Args),
    ...((request.body as Args) ?? {}),
  });

  app.get(base, async (request) => {
    await finishPendingRegistrations(pool);
    const query = args(request);
    const catalog = optionalString(query, "catalog_name");
    const schema = optionalString(query, "schema_name");
    if (schema && !catalog) throw invalidParameter("catalog_name is required when schema_name is specified.");
    const prefix = [catalog, schema].filter(Boolean).join(".");
    const limit = pageSize(query);
    const { offset, emptyHopTo } = readPageToken(query);
    if (emptyHopTo) return { next_page_token: emptyHopTo };
    const { rows } = await pool.query<RegisteredModelRow>(
      "SELECT * FROM mlflow_registered_models WHERE is_unity_catalog AND ($1 = '' OR name LIKE $1 || '.%') ORDER BY name OFFSET $2 LIMIT $3",
      [prefix, offset, limit + 1],
    );
    const page = rows.slice(0, limit);
    const aliases = optionalBoolean(query, "include_aliases")
      ? await aliasesOf(
          pool,
          page.map((r) => r.name),
        )
      : undefined;
    return compact({
      registered_models: page.map((row) => modelInfo(row, aliases?.(row.name))),
      next_page_token: nextPageToken(offset, limit, rows.length > limit),
    });
  });

  app.get<{ Params: { fullName: string } }>(`${base}/:fullName`, async (request) => {
    const row = await ucModelRow(pool, request.params.fullName);
    const aliases = optionalBoolean(args(request), "include_aliases")
      ? await aliasesOf(pool, [row.name])
      : undefined;
    return modelInfo(row, aliases?.(row.name));
  });

  app.get<{ Params: { fullName: string } }>(`${base}/:fullName/versions`, async (request) => {
    await finishPendingRegistrations(pool);
    const row = await ucModelRow(pool, request.params.fullName);
    const query = args(request);
    const limit = pageSize(query);
    const { offset, emptyHopTo } = readPageToken(query);
    if (emptyHopTo) return { next_page_token: emptyHopTo };
    const { rows } = await pool.query<ModelVersionRow>(
      "SELECT * FROM mlflow_model_versions WHERE name = $1 ORDER BY version DESC OFFSET $2 LIMIT $3",
      [row.name, offset, limit + 1],
    );
    const page = rows.slice(0, limit);
    return compact({
      model_versions: await versionInfos(pool, page, optionalBoolean(query, "include_aliases")),
      next_page_token: nextPageToken(offset, limit, rows.length > limit),
    });
  });

  app.get<{ Params: { fullName: string; version: string } }>(
    `${base}/:fullName/versions/:version`,
    async (request) => {
      await finishPendingRegistrations(pool);
      const row = await ucModelRow(pool, request.params.fullName);
      const version = await getVersionRow(pool, row.name, request.params.version);
      return (await versionInfos(pool, [version], optionalBoolean(args(request), "include_aliases")))[0];
    },
  );

  app.put<{ Params: { fullName: string; alias: string } }>(
    `${base}/:fullName/aliases/:alias`,
    async (request) => {
      const row = await ucModelRow(pool, request.params.fullName);
      const versionNum = optionalInt(args(request), "version_num");
      if (versionNum === undefined) throw invalidParameter("Missing required field: version_num");
      await setAlias(pool, row.name, request.params.alias, versionNum);
      return { alias_name: request.params.alias, version_num: versionNum };
    },
  );

  app.delete<{ Params: { fullName: string; alias: string } }>(
    `${base}/:fullName/aliases/:alias`,
    async (request) => {
      const row = await ucModelRow(pool, request.params.fullName);
      await deleteAlias(pool, row.name, request.params.alias);
      return {};
    },
  );

  app.get<{ Params: { fullName: string; alias: string } }>(
    `${base}/:fullName/aliases/:alias`,
    async (request) => {
      await finishPendingRegistrations(pool);
      const row = await ucModelRow(pool, request.params.fullName);
      const version = await versionByAlias(pool, row.name, request.params.alias);
      // Unity Catalog answers 404 for an alias that points nowhere.
      if (!version)
        throw new ApiError(
          "RESOURCE_DOES_NOT_EXIST",
          `Registered model alias ${request.params.alias} not found.`,
        );
      return (await versionInfos(pool, [version], true))[0];
    },
  );
}
