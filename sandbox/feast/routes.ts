import type { FastifyInstance, FastifyReply } from "fastify";
import type { SandboxContext } from "../lib/context";
import { feastError } from "../lib/dialect";
import {
  entities,
  materializationOf,
  project,
  projectName,
  services,
  sources,
  views,
  appliedBeforeStartMs,
  type SourceDefinition,
  type ViewDefinition,
} from "./registry";

/**
 * Feast's registry server REST API under `/feast/api/v1` (the server's root_path is /api/v1), with
 * MessageToDict's shapes, page/limit paging with its pagination object, sort_by/sort_order, tag
 * filters and {status_code, detail, error_type} errors (feast-dev/feast
 * sdk/python/feast/api/registry/rest/{rest_utils,rest_registry_server,feature_views,entities,
 * data_sources,feature_services,projects}.py).
 */

type Query = Record<string, string | string[] | undefined>;
type Json = Record<string, unknown>;

class FeastHttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errorType: string,
  ) {
    super(detail);
  }
}

const send = (reply: FastifyReply, error: FeastHttpError) =>
  reply.code(error.status).send(feastError(error.status, error.detail, error.errorType));

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value.at(-1) : value);
const list = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** FastAPI's RequestValidationError, whose handler sends str(exc): the list of pydantic errors, Python-printed. */
function invalid(
  type: string,
  name: string,
  message: string,
  input: string | null,
  ctx?: string,
): FeastHttpError {
  const shown = input === null ? "None" : `'${input}'`;
  const detail = `[{'type': '${type}', 'loc': ('query', '${name}'), 'msg': '${message}', 'input': ${shown}${ctx ? `, 'ctx': ${ctx}` : ""}}]`;
  return new FeastHttpError(422, detail, "RequestValidationError");
}

function requiredProject(query: Query): string {
  const value = single(query.project);
  if (value === undefined) throw invalid("missing", "project", "Field required", null);
  return value;
}

function optionalInt(query: Query, name: string, bounds: { ge: number; le?: number }): number | undefined {
  const raw = single(query[name]);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw))
    throw invalid(
      "int_parsing",
      name,
      "Input should be a valid integer, unable to parse string as an integer",
      raw,
    );
  const value = Number(raw);
  if (value < bounds.ge)
    throw invalid(
      "greater_than_equal",
      name,
      `Input should be greater than or equal to ${bounds.ge}`,
      raw,
      `{'ge': ${bounds.ge}}`,
    );
  if (bounds.le !== undefined && value > bounds.le)
    throw invalid(
      "less_than_equal",
      name,
      `Input should be less than or equal to ${bounds.le}`,
      raw,
      `{'le': ${bounds.le}}`,
    );
  return value;
}

/** "key:value" pairs (rest_utils.parse_tags skips entries without a colon). */
function tagFilter(query: Query): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of list(query.tags)) {
    const at = tag.indexOf(":");
    if (at > 0) out[tag.slice(0, at)] = tag.slice(at + 1);
  }
  return out;
}

const matchesTags = (tags: Record<string, string>, filter: Record<string, string>) =>
  Object.entries(filter).every(([key, value]) => tags[key] === value);

const dig = (item: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((value, key) => (value as Json | undefined)?.[key], item);

/** PaginationMetadata through MessageToDict: zero and false fields are left out. */
function withoutDefaults(pagination: Json): Json {
  return Object.fromEntries(Object.entries(pagination).filter(([, value]) => value !== 0 && value !== false));
}

/** Sorting (dot paths into the message) then paging; without page and limit everything comes back, pagination {}. */
function pageOf<T>(items: T[], query: Query): { items: T[]; pagination: Json } {
  const page = optionalInt(query, "page", { ge: 1 });
  const limit = optionalInt(query, "limit", { ge: 1, le: 100 });
  const sortBy = single(query.sort_by);
  const sortOrder = single(query.sort_order);
  if (sortOrder !== undefined && !/^(asc|desc)$/.test(sortOrder))
    throw invalid(
      "string_pattern_mismatch",
      "sort_order",
      "String should match pattern '^(asc|desc)$'",
      sortOrder,
      "{'pattern': '^(asc|desc)$'}",
    );
  let sorted = items;
  if (sortBy) {
    const direction = sortOrder === "desc" ? -1 : 1;
    sorted = [...items].sort((a, b) => {
      const [x, y] = [String(dig(a, sortBy) ?? ""), String(dig(b, sortBy) ?? "")];
      return x < y ? -direction : x > y ? direction : 0;
    });
  }
  if (page === undefined && limit === undefined) return { items: sorted, pagination: {} };
  const p = page ?? 1;
  const l = limit ?? 50;
  const start = (p - 1) * l;
  const end = start + l;
  return {
    items: sorted.slice(start, end),
    pagination: withoutDefaults({
      page: p,
      limit: l,
      totalCount: sorted.length,
      totalPages: Math.ceil(sorted.length / l),
      hasNext: end < sorted.length,
      hasPrevious: start > 0,
    }),
  };
}

const timestamp = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");
const nonEmpty = (tags: Record<string, string>) => (Object.keys(tags).length ? tags : undefined);
const notFound = (detail: string) => new FeastHttpError(404, detail, "HTTPException");

export function registerFeastRoutes(
  app: FastifyInstance,
  options: { context: SandboxContext; startedAt: () => Promise<number> },
) {
  const { context } = options;
  const prefix = "/feast/api/v1";

  async function state() {
    const startedAt = await options.startedAt();
    return { startedAt, appliedAt: startedAt - appliedBeforeStartMs, now: Date.now() };
  }
  type State = Awaited<ReturnType<typeof state>>;

  const meta = (s: State) => ({
    createdTimestamp: timestamp(s.appliedAt),
    lastUpdatedTimestamp: timestamp(s.appliedAt),
  });

  function renderSource(source: SourceDefinition, s: State) {
    return {
      type: "BATCH_SPARK",
      name: source.name,
      project: projectName,
      description: source.description,
      owner: source.owner,
      tags: nonEmpty(source.tags),
      timestampField: source.timestampField,
      createdTimestampColumn: source.createdTimestampColumn,
      dataSourceClassType: "feast.infra.offline_stores.contrib.spark_offline_store.spark_source.SparkSource",
      sparkOptions: { ...source.spark },
      meta: meta(s),
    };
  }

  function renderView(view: ViewDefinition, s: State) {
    const source = sources.find((candidate) => candidate.name === view.source)!;
    const joinKeys = view.entities.map((name) => entities.find((e) => e.name === name)!);
    const run = materializationOf(view, s.startedAt, s.now, context.speed);
    return {
      spec: {
        name: view.name,
        project: projectName,
        entities: view.entities,
        features: view.features.map((f) => ({
          name: f.name,
          valueType: f.valueType,
          description: f.description,
        })),
        entityColumns: joinKeys.map((e) => ({ name: e.joinKey, valueType: e.valueType })),
        description: view.description,
        owner: view.owner,
        tags: nonEmpty(view.tags),
        ttl: view.ttlSeconds ? `${view.ttlSeconds}s` : undefined,
        batchSource: renderSource(source, s),
        online: view.online || undefined,
        offline: true,
      },
      meta: {
        createdTimestamp: timestamp(s.appliedAt),
        lastUpdatedTimestamp: timestamp(run.lastUpdatedMs),
        materializationIntervals: run.intervals.length
          ? run.intervals.map((i) => ({ startTime: timestamp(i.startMs), endTime: timestamp(i.endMs) }))
          : undefined,
      },
    };
  }

  const renderEntity = (entity: (typeof entities)[number], s: State) => ({
    spec: {
      name: entity.name,
      project: projectName,
      valueType: entity.valueType,
      description: entity.description,
      joinKey: entity.joinKey,
      owner: entity.owner,
      tags: nonEmpty(entity.tags),
    },
    meta: meta(s),
  });

  function renderService(service: (typeof services)[number], s: State) {
    return {
      spec: {
        name: service.name,
        project: projectName,
        features: Object.entries(service.views).map(([viewName, columns]) => {
          const view = views.find((v) => v.name === viewName)!;
          return {
            featureViewName: viewName,
            featureColumns: view.features
              .filter((f) => !columns || columns.includes(f.name))
              .map((f) => ({ name: f.name, valueType: f.valueType })),
          };
        }),
        description: service.description,
        owner: service.owner,
        tags: nonEmpty(service.tags),
      },
      meta: meta(s),
    };
  }

  const renderProject = (s: State) => ({
    spec: { name: project.name, description: project.description, owner: project.owner, tags: project.tags },
    meta: meta(s),
  });

  /** Another project's objects: none (the registry answers an empty list, not an error). */
  const inProject = <T>(name: string, items: T[]) => (name === projectName ? items : []);

  const handle =
    (read: (query: Query, params: Record<string, string>, s: State) => unknown) =>
    async (request: { query: unknown; params: unknown }, reply: FastifyReply) => {
      try {
        return reply.send(
          await read(request.query as Query, request.params as Record<string, string>, await state()),
        );
      } catch (error) {
        if (error instanceof FeastHttpError) return send(reply, error);
        throw error;
      }
    };

  app.get(
    `${prefix}/projects`,
    handle((query, _, s) => {
      const { items, pagination } = pageOf([renderProject(s)], query);
      return { projects: items, pagination };
    }),
  );
  app.get(
    `${prefix}/projects/:name`,
    handle((_, { name }, s) => {
      if (name !== projectName) throw notFound(`Project ${name} does not exist`);
      return renderProject(s);
    }),
  );

  app.get(
    `${prefix}/feature_views`,
    handle((query, _, s) => {
      const name = requiredProject(query);
      const filter = tagFilter(query);
      const rendered = inProject(name, views)
        .filter((v) => matchesTags(v.tags, filter))
        .map((v) => renderView(v, s));
      // Sorted and paged as views (sort_by "spec.name"), then wrapped as AnyFeatureView.
      const { items, pagination } = pageOf(rendered, query);
      return { featureViews: items.map((featureView) => ({ featureView })), pagination };
    }),
  );
  app.get(
    `${prefix}/feature_views/:name`,
    handle((query, { name }, s) => {
      const projectParam = requiredProject(query);
      const view = inProject(projectParam, views).find((v) => v.name === name);
      if (!view) throw notFound(`Feature view ${name} does not exist in project ${projectParam}`);
      return { featureView: renderView(view, s) };
    }),
  );

  app.get(
    `${prefix}/entities`,
    handle((query, _, s) => {
      const name = requiredProject(query);
      const { items, pagination } = pageOf(
        inProject(name, entities).map((e) => renderEntity(e, s)),
        query,
      );
      return { entities: items, pagination };
    }),
  );
  app.get(
    `${prefix}/entities/:name`,
    handle((query, { name }, s) => {
      const projectParam = requiredProject(query);
      const entity = inProject(projectParam, entities).find((e) => e.name === name);
      if (!entity) throw notFound(`Entity ${name} does not exist in project ${projectParam}`);
      const sourceNames = new Set(views.filter((v) => v.entities.includes(name)).map((v) => v.source));
      return {
        ...renderEntity(entity, s),
        dataSources: sources
          .filter((source) => sourceNames.has(source.name))
          .map((source) => renderSource(source, s)),
      };
    }),
  );

  app.get(
    `${prefix}/data_sources`,
    handle((query, _, s) => {
      const name = requiredProject(query);
      const filter = tagFilter(query);
      const { items, pagination } = pageOf(
        inProject(name, sources)
          .filter((source) => matchesTags(source.tags, filter))
          .map((source) => renderSource(source, s)),
        query,
      );
      return { data_sources: items, pagination };
    }),
  );
  app.get(
    `${prefix}/data_sources/:name`,
    handle((query, { name }, s) => {
      const projectParam = requiredProject(query);
      const source = inProject(projectParam, sources).find((candidate) => candidate.name === name);
      if (!source) throw notFound(`Data source ${name} does not exist in project ${projectParam}`);
      return renderSource(source, s);
    }),
  );

  app.get(
    `${prefix}/feature_services`,
    handle((query, _, s) => {
      const name = requiredProject(query);
      const filter = tagFilter(query);
      const { items, pagination } = pageOf(
        inProject(name, services)
          .filter((service) => matchesTags(service.tags, filter))
          .map((service) => renderService(service, s)),
        query,
      );
      return { featureServices: items, pagination };
    }),
  );
  app.get(
    `${prefix}/feature_services/:name`,
    handle((query, { name }, s) => {
      const projectParam = requiredProject(query);
      const service = inProject(projectParam, services).find((candidate) => candidate.name === name);
      if (!service) throw notFound(`Feature service ${name} does not exist in project ${projectParam}`);
      return renderService(service, s);
    }),
  );
}
