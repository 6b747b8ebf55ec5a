import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { ApiError } from "../lib/errors";
import { inTransaction, type Queryable } from "./schema";
import {
  compareValues,
  decodePageToken,
  encodePageToken,
  modelVersionSearchSpec,
  parseOrderBy,
  parseSearchFilter,
  registeredModelSearchSpec,
} from "./search-filter";
import {
  compact,
  invalidParameter,
  keyValueList,
  maxResults,
  mlflowRoute,
  now,
  optionalBoolean,
  optionalString,
  requireString,
  stringList,
  type Args,
} from "./wire";

const stages = ["None", "Staging", "Production", "Archived"] as const;
export type Stage = (typeof stages)[number];

/** A three-part `catalog.schema.model` name lives in Unity Catalog, where there are no stages. */
export const isUnityCatalogName = (name: string) => /^[^.\s]+\.[^.\s]+\.[^.\s]+$/.test(name);

function canonicalStage(stage: string): Stage {
  const found = stages.find((s) => s.toLowerCase() === stage.toLowerCase());
  if (!found)
    throw invalidParameter(
      `Invalid Model Version stage: ${stage}. Value must be one of ${stages.join(", ")}.`,
    );
  return found;
}

export interface RegisteredModelRow {
  name: string;
  is_unity_catalog: boolean;
  description: string;
  owner: string;
  creation_timestamp: string;
  last_updated_timestamp: string;
}

export interface ModelVersionRow {
  name: string;
  version: number;
  current_stage: Stage;
  status: string;
  status_message: string;
  source: string;
  run_id: string;
  run_link: string;
  user_id: string;
  description: string;
  creation_timestamp: string;
  last_updated_timestamp: string;
}

/**
 * Registration finishes `readyAfterMs` after creation; applied lazily so it survives restarts. It
 * leaves last_updated_timestamp alone: that orders model-versions/search, and a person's later update
 * must not sort below a registration that merely finished (as on open-source MLflow, where a version
 * is READY at creation).
 */
export async function finishPendingRegistrations(db: Queryable): Promise<void> {
  await db.query(
    `UPDATE mlflow_model_versions SET status = 'READY'
     WHERE status = 'PENDING_REGISTRATION' AND ready_at <= $1`,
    [now()],
  );
}

const modelNotFound = (name: string) =>
  new ApiError(
    "RESOURCE_DOES_NOT_EXIST",
    isUnityCatalogName(name)
      ? `Routine or Model '${name}' does not exist.`
      : `Registered Model with name=${name} not found`,
  );
const versionNotFound = (name: string, version: string | number) =>
  new ApiError("RESOURCE_DOES_NOT_EXIST", `Model Version (name=${name}, version=${version}) not found`);

export async function getRegisteredModelRow(
  db: Queryable,
  name: string,
  lock = false,
): Promise<RegisteredModelRow> {
  const { rows } = await db.query<RegisteredModelRow>(
    `SELECT * FROM mlflow_registered_models WHERE name = $1${lock ? " FOR UPDATE" : ""}`,
    [name],
  );
  if (!rows.length) throw modelNotFound(name);
  return rows[0];
}

function parseVersion(version: string | number): number {
  const number = Number(version);
  if (!Number.isSafeInteger(number) || number < 1)
    throw invalidParameter(`Parameter 'version' must be an integer, got '${version}'.`);
  return number;
}

export async function getVersionRow(
  db: Queryable,
  name: string,
  version: string | number,
): Promise<ModelVersionRow> {
  const { rows } = await db.query<ModelVersionRow>(
    "SELECT * FROM mlflow_model_versions WHERE name = $1 AND version = $2",
    [name, parseVersion(version)],
  );
  if (!rows.length) {
    await getRegisteredModelRow(db, name);
    throw versionNotFound(name, version);
  }
  return rows[0];
}

/** Tags and aliases of versions, keyed `name\u0000version`. */
export async function versionExtras(db: Queryable, versions: Array<{ name: string; version: number }>) {
  const names = versions.map((v) => v.name);
  const numbers = versions.map((v) => v.version);
  const [tags, aliases] = await Promise.all([
    db.query<{ name: string; version: number; key: string; value: string }>(
      "SELECT t.* FROM mlflow_model_version_tags t JOIN unnest($1::text[], $2::int[]) AS v(name, version) USING (name, version) ORDER BY key",
      [names, numbers],
    ),
    db.query<{ name: string; version: number; alias: string }>(
      "SELECT a.name, a.version, a.alias FROM mlflow_registered_model_aliases a JOIN unnest($1::text[], $2::int[]) AS v(name, version) USING (name, version) ORDER BY alias",
      [names, numbers],
    ),
  ]);
  const key = (name: string, version: number) => `${name}\u0000${version}`;
  const result = new Map<string, { tags: Array<{ key: string; value: string }>; aliases: string[] }>();
  for (const v of versions) result.set(key(v.name, v.version), { tags: [], aliases: [] });
  for (const t of tags.rows) result.get(key(t.name, t.version))?.tags.push({ key: t.key, value: t.value });
  for (const a of aliases.rows) result.get(key(a.name, a.version))?.aliases.push(a.alias);
  return (name: string, version: number) => result.get(key(name, version)) ?? { tags: [], aliases: [] };
}

/** model-versions/search leaves aliases out (MLflow 2.x); get, alias and latest-versions answers carry them. */
async function versionsToWire(db: Queryable, rows: ModelVersionRow[], withAliases = true) {
  const extras = await versionExtras(db, rows);
  return rows.map((row) => {
    const { tags, aliases } = extras(row.name, row.version);
    return compact({
      name: row.name,
      version: String(row.version),
      creation_timestamp: Number(row.creation_timestamp),
      last_updated_timestamp: Number(row.last_updated_timestamp),
      user_id: row.user_id || undefined,
      current_stage: row.current_stage,
      // MLflow writes these three even when empty.
      description: row.description,
      source: row.source,
      run_id: row.run_id,
      status: row.status,
      status_message: row.status_message || undefined,
      tags,
      run_link: row.run_link,
      aliases: withAliases ? aliases : undefined,
    });
  });
}

async function registeredModelsToWire(db: Queryable, rows: RegisteredModelRow[]) {
  const names = rows.map((r) => r.name);
  const [tags, aliases, latest] = await Promise.all([
    db.query<{ name: string; key: string; value: string }>(
      "SELECT * FROM mlflow_registered_model_tags WHERE name = ANY($1) ORDER BY key",
      [names],
    ),
    db.query<{ name: string; alias: string; version: number }>(
      "SELECT * FROM mlflow_registered_model_aliases WHERE name = ANY($1) ORDER BY alias",
      [names],
    ),
    db.query<ModelVersionRow>(
      "SELECT * FROM mlflow_model_versions WHERE name = ANY($1) ORDER BY name, version",
      [names],
    ),
  ]);
  // As MLflow builds latest_versions: walking versions in order, a stage keeps its first place and its highest version.
  const newest = new Map<string, ModelVersionRow>();
  for (const row of latest.rows) newest.set(`${row.name}\u0000${row.current_stage}`, row);
  const latestWire = await versionsToWire(db, [...newest.values()], false);
  return rows.map((row) =>
    compact({
      name: row.name,
      creation_timestamp: Number(row.creation_timestamp),
      last_updated_timestamp: Number(row.last_updated_timestamp),
      description: row.description || undefined,
      latest_versions: latestWire.filter((v) => v.name === row.name),
      tags: tags.rows.filter((t) => t.name === row.name).map(({ key, value }) => ({ key, value })),
      aliases: aliases.rows
        .filter((a) => a.name === row.name)
        .map(({ alias, version }) => ({ alias, version: String(version) })),
    }),
  );
}

export async function createRegisteredModel(
  pool: Queryable,
  name: string,
  options: {
    description?: string;
    tags?: Array<{ key: string; value: string }>;
    owner?: string;
    at?: number;
  } = {},
) {
  if (!name.trim()) throw invalidParameter("Registered model name cannot be empty.");
  return inTransaction(pool, async (client) => {
    const at = options.at ?? now();
    const { rowCount } = await client.query(
      `INSERT INTO mlflow_registered_models (name, is_unity_catalog, description, owner, creation_timestamp, last_updated_timestamp)
       VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT DO NOTHING`,
      [name, isUnityCatalogName(name), options.description ?? "", options.owner ?? "", at],
    );
    if (!rowCount)
      throw new ApiError("RESOURCE_ALREADY_EXISTS", `Registered Model (name=${name}) already exists.`);
    for (const tag of options.tags ?? [])
      await client.query(
        "INSERT INTO mlflow_registered_model_tags VALUES ($1, $2, $3) ON CONFLICT (name, key) DO UPDATE SET value = EXCLUDED.value",
        [name, tag.key, tag.value],
      );
  });
}

export interface CreateVersionInput {
  name: string;
  source: string;
  runId?: string;
  runLink?: string;
  description?: string;
  userId?: string;
  tags?: Array<{ key: string; value: string }>;
  /** Time until status becomes READY (0: at once). */
  readyAfterMs: number;
  at?: number;
}

export async function createModelVersion(pool: Queryable, input: CreateVersionInput): Promise<number> {
  return inTransaction(pool, async (client) => {
    await getRegisteredModelRow(client, input.name, true);
    const at = input.at ?? now();
    const { rows } = await client.query<{ version: number }>(
      `INSERT INTO mlflow_model_versions (name, version, status, ready_at, source, run_id, run_link, user_id, description, creation_timestamp, last_updated_timestamp)
       SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $9 FROM mlflow_model_versions WHERE name = $1
       RETURNING version`,
      [
        input.name,
        input.readyAfterMs > 0 ? "PENDING_REGISTRATION" : "READY",
        at + input.readyAfterMs,
        input.source,
        input.runId ?? "",
        input.runLink ?? "",
        input.userId ?? "",
        input.description ?? "",
        at,
      ],
    );
    const version = rows[0].version;
    for (const tag of input.tags ?? [])
      await client.query(
        "INSERT INTO mlflow_model_version_tags VALUES ($1, $2, $3, $4) ON CONFLICT (name, version, key) DO UPDATE SET value = EXCLUDED.value",
        [input.name, version, tag.key, tag.value],
      );
    await client.query("UPDATE mlflow_registered_models SET last_updated_timestamp = $2 WHERE name = $1", [
      input.name,
      at,
    ]);
    return version;
  });
}

/** Moves a version to a stage; with archiveExisting, the others in that stage go to Archived in the same transaction. */
export async function transitionStage(
  pool: Queryable,
  name: string,
  version: string | number,
  stage: string,
  archiveExisting: boolean,
  at = now(),
) {
  const target = canonicalStage(stage);
  if (archiveExisting && target !== "Staging" && target !== "Production") {
    throw invalidParameter(
      `Model version transition cannot archive existing model versions because '${target}' is not an Active stage. Valid stages are Staging, Production`,
    );
  }
  return inTransaction(pool, async (client) => {
    const model = await getRegisteredModelRow(client, name, true);
    if (model.is_unity_catalog)
      throw new ApiError(
        "BAD_REQUEST",
        `Model stages are not supported for models in Unity Catalog ('${name}'). Use aliases instead.`,
      );
    const row = await getVersionRow(client, name, version);
    await client.query(
      "UPDATE mlflow_model_versions SET current_stage = $3, last_updated_timestamp = $4 WHERE name = $1 AND version = $2",
      [name, row.version, target, at],
    );
    if (archiveExisting) {
      await client.query(
        "UPDATE mlflow_model_versions SET current_stage = 'Archived', last_updated_timestamp = $4 WHERE name = $1 AND version <> $2 AND current_stage = $3",
        [name, row.version, target, at],
      );
    }
    await client.query("UPDATE mlflow_registered_models SET last_updated_timestamp = $2 WHERE name = $1", [
      name,
      at,
    ]);
    return getVersionRow(client, name, row.version);
  });
}

/** Points an alias at a version, moving it if it already points elsewhere. */
export async function setAlias(pool: Queryable, name: string, alias: string, version: string | number) {
  if (alias.toLowerCase() === "latest")
    throw invalidParameter("'latest' alias name (case insensitive) is reserved.");
  if (/^v\d+$/.test(alias)) throw invalidParameter(`Alias name cannot be a version number like '${alias}'.`);
  await inTransaction(pool, async (client) => {
    await getRegisteredModelRow(client, name, true);
    const row = await getVersionRow(client, name, version);
    await client.query(
      "INSERT INTO mlflow_registered_model_aliases VALUES ($1, $2, $3) ON CONFLICT (name, alias) DO UPDATE SET version = EXCLUDED.version",
      [name, alias, row.version],
    );
    await client.query("UPDATE mlflow_registered_models SET last_updated_timestamp = $2 WHERE name = $1", [
      name,
      now(),
    ]);
  });
}

export async function deleteAlias(pool: pg.Pool, name: string, alias: string) {
  await getRegisteredModelRow(pool, name);
  await pool.query("DELETE FROM mlflow_registered_model_aliases WHERE name = $1 AND alias = $2", [
    name,
    alias,
  ]);
}

/** The version an alias points at, if it points anywhere. */
export async function versionByAlias(
  db: Queryable,
  name: string,
  alias: string,
): Promise<ModelVersionRow | undefined> {
  const { rows } = await db.query<ModelVersionRow>(
    "SELECT v.* FROM mlflow_registered_model_aliases a JOIN mlflow_model_versions v USING (name, version) WHERE a.name = $1 AND a.alias = $2",
    [name, alias],
  );
  return rows[0];
}

async function searchRegisteredModels(pool: pg.Pool, args: Args) {
  const limit = maxResults(args, 100, 1000);
  const clauses = parseSearchFilter(optionalString(args, "filter"), registeredModelSearchSpec);
  const orderBy = stringList(args, "order_by").map((o) => parseOrderBy(o, registeredModelSearchSpec));
  const offset = decodePageToken(optionalString(args, "page_token"));
  const { rows } = await pool.query<RegisteredModelRow>(
    "SELECT * FROM mlflow_registered_models WHERE NOT is_unity_catalog",
  );
  const { rows: tags } = await pool.query<{ name: string; key: string; value: string }>(
    "SELECT * FROM mlflow_registered_model_tags",
  );
  const attribute = (row: RegisteredModelRow, key: string) =>
    key === "name"
      ? row.name
      : Number(key === "last_updated_timestamp" ? row.last_updated_timestamp : row.creation_timestamp);
  const matching = rows.filter((row) =>
    clauses.every((c) =>
      compareValues(
        c.comparator,
        c.type === "tag"
          ? tags.find((t) => t.name === row.name && t.key === c.key)?.value
          : attribute(row, c.key),
        c.value,
      ),
    ),
  );
  matching.sort((a, b) => {
    for (const order of orderBy) {
      const [x, y] = [attribute(a, order.key), attribute(b, order.key)];
      if (x !== y) return (x < y ? -1 : 1) * (order.ascending ? 1 : -1);
    }
    return a.name < b.name ? -1 : 1;
  });
  const page = matching.slice(offset, offset + limit);
  return compact({
    registered_models: await registeredModelsToWire(pool, page),
    next_page_token: offset + limit < matching.length ? encodePageToken(offset + limit) : undefined,
  });
}

async function searchModelVersions(pool: pg.Pool, args: Args) {
  const limit = maxResults(args, 10_000, 200_000);
  const clauses = parseSearchFilter(optionalString(args, "filter"), modelVersionSearchSpec);
  const orderBy = stringList(args, "order_by").map((o) => parseOrderBy(o, modelVersionSearchSpec));
  const offset = decodePageToken(optionalString(args, "page_token"));
  const { rows } = await pool.query<ModelVersionRow>("SELECT * FROM mlflow_model_versions");
  const extras = await versionExtras(pool, rows);
  const attribute = (row: ModelVersionRow, key: string): string | number =>
    key === "name"
      ? row.name
      : key === "run_id"
        ? row.run_id
        : key === "source_path"
          ? row.source
          : key === "version_number"
            ? row.version
            : Number(key === "last_updated_timestamp" ? row.last_updated_timestamp : row.creation_timestamp);
  const matching = rows.filter((row) =>
    clauses.every((c) =>
      compareValues(
        c.comparator,
        c.type === "tag"
          ? extras(row.name, row.version).tags.find((t) => t.key === c.key)?.value
          : attribute(row, c.key),
        c.value,
      ),
    ),
  );
  matching.sort((a, b) => {
    for (const order of orderBy) {
      const [x, y] = [attribute(a, order.key), attribute(b, order.key)];
      if (x !== y) return (x < y ? -1 : 1) * (order.ascending ? 1 : -1);
    }
    // MLflow's default: last_updated_timestamp DESC, name ASC, version_number DESC.
    return (
      Number(b.last_updated_timestamp) - Number(a.last_updated_timestamp) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : b.version - a.version)
    );
  });
  const page = matching.slice(offset, offset + limit);
  return compact({
    model_versions: await versionsToWire(pool, page, false),
    next_page_token: offset + limit < matching.length ? encodePageToken(offset + limit) : undefined,
  });
}

/**
 * MLflow refuses a local path as a version's source unless it lies in the run's local artifact
 * directory, which a sandbox run (artifacts under mlflow-artifacts:/) never has (handlers._validate_source).
 */
function validSource(source: string): string {
  if (source.startsWith("/") || source.startsWith("file:") || !/^[a-z][\w+.-]*:/i.test(source)) {
    throw invalidParameter(
      `Invalid model version source: '${source}'. To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.`,
    );
  }
  return source;
}

async function touchModel(db: Queryable, name: string) {
  await db.query("UPDATE mlflow_registered_models SET last_updated_timestamp = $2 WHERE name = $1", [
    name,
    now(),
  ]);
}

export function registerRegistryRoutes(app: FastifyInstance, pool: pg.Pool, readyAfterMs: () => number) {
  const route = (methods: string | string[], path: string, handler: (args: Args) => Promise<unknown>) =>
    mlflowRoute(app, methods, path, async (args) => {
      await finishPendingRegistrations(pool);
      return handler(args);
    });
  const versionWire = async (row: ModelVersionRow) => ({
    model_version: (await versionsToWire(pool, [row]))[0],
  });
  const modelWire = async (row: RegisteredModelRow) => ({
    registered_model: (await registeredModelsToWire(pool, [row]))[0],
  });

  route("POST", "/registered-models/create", async (args) => {
    const name = requireString(args, "name");
    await createRegisteredModel(pool, name, {
      description: optionalString(args, "description"),
      tags: keyValueList(args, "tags"),
    });
    return modelWire(await getRegisteredModelRow(pool, name));
  });
  route("GET", "/registered-models/get", async (args) =>
    modelWire(await getRegisteredModelRow(pool, requireString(args, "name"))),
  );
  route("GET", "/registered-models/search", async (args) => searchRegisteredModels(pool, args));
  route("PATCH", "/registered-models/update", async (args) => {
    const name = requireString(args, "name");
    await getRegisteredModelRow(pool, name);
    await pool.query(
      "UPDATE mlflow_registered_models SET description = $2, last_updated_timestamp = $3 WHERE name = $1",
      [name, optionalString(args, "description") ?? "", now()],
    );
    return modelWire(await getRegisteredModelRow(pool, name));
  });
  route("DELETE", "/registered-models/delete", async (args) => {
    const name = requireString(args, "name");
    await getRegisteredModelRow(pool, name);
    await pool.query("DELETE FROM mlflow_registered_models WHERE name = $1", [name]);
    return {};
  });
  route("POST", "/registered-models/set-tag", async (args) => {
    const name = requireString(args, "name");
    await getRegisteredModelRow(pool, name);
    await pool.query(
      "INSERT INTO mlflow_registered_model_tags VALUES ($1, $2, $3) ON CONFLICT (name, key) DO UPDATE SET value = EXCLUDED.value",
      [name, requireString(args, "key"), optionalString(args, "value") ?? ""],
    );
    await touchModel(pool, name);
    return {};
  });
  route("DELETE", "/registered-models/delete-tag", async (args) => {
    const name = requireString(args, "name");
    await getRegisteredModelRow(pool, name);
    await pool.query("DELETE FROM mlflow_registered_model_tags WHERE name = $1 AND key = $2", [
      name,
      requireString(args, "key"),
    ]);
    return {};
  });
  route("POST", "/registered-models/alias", async (args) => {
    await setAlias(
      pool,
      requireString(args, "name"),
      requireString(args, "alias"),
      requireString(args, "version"),
    );
    return {};
  });
  route("DELETE", "/registered-models/alias", async (args) => {
    await deleteAlias(pool, requireString(args, "name"), requireString(args, "alias"));
    return {};
  });
  route("GET", "/registered-models/alias", async (args) => {
    const alias = requireString(args, "alias");
    const row = await versionByAlias(pool, requireString(args, "name"), alias);
    // Open-source MLflow answers a missing alias (or model) with 400, not 404 (model_registry/sqlalchemy_store.py).
    if (!row) throw invalidParameter(`Registered model alias ${alias} not found.`);
    return versionWire(row);
  });
  route(["GET", "POST"], "/registered-models/get-latest-versions", async (args) => {
    const name = requireString(args, "name");
    await getRegisteredModelRow(pool, name);
    const wanted = stringList(args, "stages").map(canonicalStage);
    const { rows } = await pool.query<ModelVersionRow>(
      "SELECT DISTINCT ON (current_stage) * FROM mlflow_model_versions WHERE name = $1 AND (cardinality($2::text[]) = 0 OR current_stage = ANY($2)) ORDER BY current_stage, version DESC",
      [name, wanted],
    );
    return compact({
      model_versions: await versionsToWire(
        pool,
        rows.sort((a, b) => a.version - b.version),
      ),
    });
  });

  route("POST", "/model-versions/create", async (args) => {
    const name = requireString(args, "name");
    const version = await createModelVersion(pool, {
      name,
      source: validSource(requireString(args, "source")),
      runId: optionalString(args, "run_id"),
      runLink: optionalString(args, "run_link"),
      description: optionalString(args, "description"),
      tags: keyValueList(args, "tags"),
      readyAfterMs: readyAfterMs(),
    });
    return versionWire(await getVersionRow(pool, name, version));
  });
  route("GET", "/model-versions/get", async (args) =>
    versionWire(await getVersionRow(pool, requireString(args, "name"), requireString(args, "version"))),
  );
  route("GET", "/model-versions/search", async (args) => searchModelVersions(pool, args));
  route("PATCH", "/model-versions/update", async (args) => {
    const row = await getVersionRow(pool, requireString(args, "name"), requireString(args, "version"));
    await pool.query(
      "UPDATE mlflow_model_versions SET description = $3, last_updated_timestamp = $4 WHERE name = $1 AND version = $2",
      [row.name, row.version, optionalString(args, "description") ?? "", now()],
    );
    return versionWire(await getVersionRow(pool, row.name, row.version));
  });
  route("DELETE", "/model-versions/delete", async (args) => {
    const row = await getVersionRow(pool, requireString(args, "name"), requireString(args, "version"));
    await pool.query("DELETE FROM mlflow_registered_model_aliases WHERE name = $1 AND version = $2", [
      row.name,
      row.version,
    ]);
    await pool.query("DELETE FROM mlflow_model_versions WHERE name = $1 AND version = $2", [
      row.name,
      row.version,
    ]);
    return {};
  });
  route("POST", "/model-versions/transition-stage", async (args) =>
    versionWire(
      await transitionStage(
        pool,
        requireString(args, "name"),
        requireString(args, "version"),
        requireString(args, "stage"),
        optionalBoolean(args, "archive_existing_versions"),
      ),
    ),
  );
  route("POST", "/model-versions/set-tag", async (args) => {
    const row = await getVersionRow(pool, requireString(args, "name"), requireString(args, "version"));
    await pool.query(
      "INSERT INTO mlflow_model_version_tags VALUES ($1, $2, $3, $4) ON CONFLICT (name, version, key) DO UPDATE SET value = EXCLUDED.value",
      [row.name, row.version, requireString(args, "key"), optionalString(args, "value") ?? ""],
    );
    return {};
  });
  route("DELETE", "/model-versions/delete-tag", async (args) => {
    const row = await getVersionRow(pool, requireString(args, "name"), requireString(args, "version"));
    await pool.query("DELETE FROM mlflow_model_version_tags WHERE name = $1 AND version = $2 AND key = $3", [
      row.name,
      row.version,
      requireString(args, "key"),
    ]);
    return {};
  });
}
