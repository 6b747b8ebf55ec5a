import "server-only";
import { mapLimited } from "@/lib/async/map-limited";
import { assertCan, type CurrentUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { createTtlCache } from "@/lib/cache/ttl-cache";
import {
  durationSeconds,
  type DataSource,
  type Entity,
  type FeastClient,
  type FeatureService,
  type FeatureView,
} from "@/lib/clients/feast";
import { CloudApiError, collect } from "@/lib/clients/http";
import type { MlflowClient } from "@/lib/clients/mlflow";
import { getCloudClients } from "@/lib/cloud";
import { getConfig } from "@/lib/config";
import { getDb, type PrismaClient } from "@/lib/db/client";
import { freshnessOf, freshnessRank, type Freshness } from "@/lib/domain/features/freshness";
import { AppError } from "@/lib/errors";
import { datasetHref } from "@/lib/navigation";

/**
 * Features: Feast's registry (feature views, entities, data sources, feature services) read live from
 * its registry server's REST API, with each view's freshness judged against its TTL, and its lineage:
 * the feature services that include it, the MLflow runs that trained on those services (the run tag
 * `feast.feature_service`) and the model versions registered from those runs. See docs/decisions/018.
 */

/** The MLflow run tag a training job sets to the feature service it read (docs/decisions/018). */
export const featureServiceRunTag = "feast.feature_service";
const maxRunsPerService = 100;
/**
 * MLflow's search filter has no OR and takes IN only for run ids (a tag IN list is refused as
 * INVALID_PARAMETER_VALUE by MLflow 2.22; sandbox/mlflow/differential.int.test.ts checks the sandbox
 * agrees), so lineage is one runs/search per service, this many at a time.
 */
const concurrentSearches = 4;

export interface FeatureDeps {
  /** Undefined in cloud mode without FEAST_REGISTRY_URL: every read says the area is not set up. */
  feast: FeastClient | undefined;
  project: string;
  mlflow: Pick<MlflowClient, "iterateExperiments" | "searchRuns" | "searchModelVersions">;
  db: PrismaClient;
  now?: () => number;
  /** How long one registry snapshot serves page views (the registry changes on `feast apply`). */
  cacheTtlMs?: number;
}

const viewNamePattern = /^[A-Za-z0-9_.-]{1,200}$/;

function fromFeast(error: unknown, what: string): never {
  if (error instanceof CloudApiError && error.status === 404)
    throw new AppError("NOT_FOUND", `No such ${what}.`);
  if (error instanceof CloudApiError)
    throw new AppError("UNAVAILABLE", `Feast's registry did not answer as expected: ${error.message}`, {
      cause: error,
    });
  throw error;
}

/** Where a source's rows live: a Unity Catalog table (linked to its dataset page) or a path with its format. */
function sourceOf(source: DataSource | undefined) {
  if (!source) return null;
  const table = source.sparkOptions?.table ?? null;
  const path = source.sparkOptions?.path ?? source.fileOptions?.uri ?? null;
  const isCatalogTable = !!table && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(table);
  return {
    name: source.name,
    type: source.type ?? "UNKNOWN",
    table,
    path,
    format: source.sparkOptions?.fileFormat ?? null,
    query: source.sparkOptions?.query ?? null,
    timestampField: source.timestampField ?? null,
    description: source.description ?? null,
    owner: source.owner ?? null,
    datasetHref: isCatalogTable ? datasetHref(table!) : null,
  };
}
export type FeatureSource = NonNullable<ReturnType<typeof sourceOf>>;

/** The names of the feature services whose projections read a view. */
function servicesIncluding(viewName: string, services: FeatureService[]): string[] {
  return services
    .filter((s) => (s.spec.features ?? []).some((projection) => projection.featureViewName === viewName))
    .map((s) => s.spec.name);
}

export function createFeatureService(deps: FeatureDeps) {
  const now = deps.now ?? Date.now;
  const snapshots = createTtlCache<Snapshot>({ ttlMs: deps.cacheTtlMs ?? 15_000, maxEntries: 4 });
  // The experiments runs are searched in: listed once per snapshot period, not once per page view.
  const experimentLists = createTtlCache<{ experimentId: string; name: string }[]>({
    ttlMs: deps.cacheTtlMs ?? 15_000,
    maxEntries: 1,
  });

  interface Snapshot {
    project: {
      name: string;
      description: string | null;
      onlineStore: string | null;
      offlineStore: string | null;
    };
    views: FeatureView[];
    entities: Entity[];
    services: FeatureService[];
  }

  function feastOrThrow(): FeastClient {
    if (!deps.feast)
      throw new AppError(
        "UNAVAILABLE",
        "The feature store is not set up: Switchboard has no FEAST_REGISTRY_URL.",
      );
    return deps.feast;
  }

  function snapshot(): Promise<Snapshot> {
    const feast = feastOrThrow();
    return snapshots.getOrLoad(deps.project, async () => {
      try {
        const [project, views, entities, services] = await Promise.all([
          feast.getProject(deps.project),
          feast.listAllFeatureViews(deps.project),
          feast.listAllEntities(deps.project),
          feast.listAllFeatureServices(deps.project),
        ]);
        const tags = project.spec.tags ?? {};
        return {
          project: {
            name: project.spec.name,
            description: project.spec.description ?? null,
            onlineStore: tags.online_store ?? null,
            offlineStore: tags.offline_store ?? null,
          },
          views,
          entities,
          services,
        };
      } catch (error) {
        fromFeast(error, `Feast project ${deps.project}`);
      }
    });
  }

  function freshnessOfView(view: FeatureView): Freshness {
    return freshnessOf({
      isOnline: view.spec.online ?? false,
      ttlSeconds: durationSeconds(view.spec.ttl),
      intervalEnds: (view.meta?.materializationIntervals ?? []).flatMap((i) =>
        i.endTime ? [i.endTime] : [],
      ),
      now: now(),
    });
  }

  function toSummary(view: FeatureView, services: FeatureService[]) {
    const spec = view.spec;
    return {
      name: spec.name,
      description: spec.description ?? null,
      entities: spec.entities ?? [],
      ttlSeconds: durationSeconds(spec.ttl),
      isOnline: spec.online ?? false,
      /** Every batch-sourced view can be read offline (get_historical_features); `offline` is newer and optional. */
      isOffline: spec.offline ?? !!spec.batchSource,
      owner: spec.owner ?? null,
      team: spec.tags?.team ?? null,
      featureCount: spec.features?.length ?? 0,
      source: sourceOf(spec.batchSource),
      freshness: freshnessOfView(view),
      services: servicesIncluding(spec.name, services),
    };
  }
  type Summary = ReturnType<typeof toSummary>;

  /** MLflow runs that trained on these feature services, and the model versions registered from them. */
  async function lineageOf(serviceNames: string[]) {
    if (!serviceNames.length) return { runs: [], models: [], isTruncated: false, error: null };
    try {
      const experiments = await experimentLists.getOrLoad("all", async () =>
        (await collect(deps.mlflow.iterateExperiments({ maxResults: 200 }), 1_000)).map((e) => ({
          experimentId: e.experimentId,
          name: e.name,
        })),
      );
      const experimentIds = experiments.map((e) => e.experimentId);
      const experimentName = new Map(experiments.map((e) => [e.experimentId, e.name]));
      let isTruncated = false;
      const found = await mapLimited(serviceNames, concurrentSearches, async (service) => {
        if (!experimentIds.length) return [];
        const page = await deps.mlflow.searchRuns({
          experimentIds,
          filter: `tags.\`${featureServiceRunTag}\` = '${service.replaceAll("'", "\\'")}'`,
          maxResults: maxRunsPerService,
          orderBy: ["attributes.start_time DESC"],
        });
        if (page.nextPageToken) isTruncated = true;
        return page.items.map((run) => ({ run, service }));
      });
      const runs = found.flat();
      const mlflowIds = runs.map(({ run }) => run.info.runId);
      const idChunks = Array.from({ length: Math.ceil(mlflowIds.length / 50) }, (_, i) =>
        mlflowIds.slice(i * 50, i * 50 + 50).map((id) => `'${id.replaceAll("'", "")}'`),
      );
      const [launched, versionPages] = await Promise.all([
        mlflowIds.length
          ? deps.db.trainingRun.findMany({
              where: { mlflowRunId: { in: mlflowIds } },
              select: { id: true, mlflowRunId: true },
            })
          : [],
        mapLimited(idChunks, concurrentSearches, async (ids) => {
          const page = await deps.mlflow.searchModelVersions({
            filter: `run_id IN (${ids.join(", ")})`,
            maxResults: 200,
          });
          return page.items;
        }),
      ]);
      const switchboardRunId = new Map(launched.map((r) => [r.mlflowRunId!, r.id]));
      const versions = versionPages.flat();
      const runName = new Map(runs.map(({ run }) => [run.info.runId, run.info.runName]));
      const models = new Map<
        string,
        { name: string; versions: { version: string; stage: string; aliases: string[]; runName: string }[] }
      >();
      for (const v of versions) {
        const model = models.get(v.name) ?? { name: v.name, versions: [] };
        model.versions.push({
          version: v.version,
          stage: v.currentStage,
          aliases: v.aliases,
          runName: runName.get(v.runId ?? "") ?? "",
        });
        models.set(v.name, model);
      }
      return {
        runs: runs
          .map(({ run, service }) => ({
            mlflowRunId: run.info.runId,
            runName: run.info.runName || run.info.runId,
            status: run.info.status,
            startTime: run.info.startTime ? new Date(Number(run.info.startTime)).toISOString() : null,
            experimentId: run.info.experimentId,
            experimentName: experimentName.get(run.info.experimentId) ?? run.info.experimentId,
            featureService: service,
            switchboardRunId: switchboardRunId.get(run.info.runId) ?? null,
          }))
          .sort((a, b) => (b.startTime ?? "").localeCompare(a.startTime ?? "")),
        models: [...models.values()]
          .map((m) => ({ ...m, versions: m.versions.sort((a, b) => Number(b.version) - Number(a.version)) }))
          .sort((a, b) => a.name.localeCompare(b.name)),
        isTruncated,
        error: null,
      };
    } catch (error) {
      if (!(error instanceof CloudApiError)) throw error;
      return { runs: [], models: [], isTruncated: false, error: `MLflow did not answer: ${error.message}` };
    }
  }

  return {
    /** Every feature view with its freshness, stale ones first; and the project's stores. */
    async listViews(user: CurrentUser, filter: { query?: string; isStaleOnly?: boolean } = {}) {
      assertCan(user, "features:read");
      const registry = await snapshot();
      const needle = filter.query?.trim().toLowerCase().slice(0, 200) ?? "";
      const all = registry.views.map((view) => toSummary(view, registry.services));
      const views = all
        .filter(
          (v) =>
            !needle ||
            v.name.toLowerCase().includes(needle) ||
            v.entities.some((e) => e.toLowerCase().includes(needle)) ||
            (v.description ?? "").toLowerCase().includes(needle),
        )
        .filter((v) => !filter.isStaleOnly || v.freshness.state === "stale")
        .sort(
          (a, b) =>
            freshnessRank[a.freshness.state] - freshnessRank[b.freshness.state] ||
            a.name.localeCompare(b.name),
        );
      return {
        project: registry.project,
        views,
        total: all.length,
        staleCount: all.filter((v) => v.freshness.state === "stale").length,
      };
    },

    /** One view: schema, owner and tags, source, stores, materialization history, freshness and lineage. */
    async getView(user: CurrentUser, name: string) {
      assertCan(user, "features:read");
      if (!viewNamePattern.test(name)) throw new AppError("NOT_FOUND", "No such feature view.");
      const feast = feastOrThrow();
      const registry = await snapshot();
      // Lineage needs only the snapshot's services, so it runs alongside the live read of the view.
      const [view, lineage] = await Promise.all([
        feast.getFeatureView(deps.project, name).catch((error: unknown) => fromFeast(error, "feature view")),
        lineageOf(servicesIncluding(name, registry.services)),
      ]);
      const summary = toSummary(view, registry.services);
      const intervals = (view.meta?.materializationIntervals ?? [])
        .flatMap((i) => (i.startTime && i.endTime ? [{ start: i.startTime, end: i.endTime }] : []))
        .reverse();
      const entityOf = new Map(registry.entities.map((e) => [e.spec.name, e]));
      return {
        ...summary,
        project: registry.project,
        tags: Object.entries(view.spec.tags ?? {}).map(([key, value]) => ({ key, value })),
        features: (view.spec.features ?? []).map((f) => ({
          name: f.name,
          valueType: f.valueType ?? "UNKNOWN",
          description: f.description ?? null,
        })),
        entityColumns: (view.spec.entities ?? []).map((entityName) => {
          const entity = entityOf.get(entityName);
          const column = view.spec.entityColumns?.find((c) => c.name === entity?.spec.joinKey);
          return {
            entity: entityName,
            joinKey: entity?.spec.joinKey ?? entityName,
            valueType: column?.valueType ?? entity?.spec.valueType ?? "UNKNOWN",
          };
        }),
        createdAt: view.meta?.createdTimestamp ?? null,
        lastUpdatedAt: view.meta?.lastUpdatedTimestamp ?? null,
        /** Newest first; the page shows the first ones and says how many there are. */
        materializations: intervals.slice(0, 48),
        materializationCount: intervals.length,
        lineage,
      };
    },

    async listEntities(user: CurrentUser) {
      assertCan(user, "features:read");
      const registry = await snapshot();
      return registry.entities
        .map((entity) => ({
          name: entity.spec.name,
          joinKey: entity.spec.joinKey ?? entity.spec.name,
          valueType: entity.spec.valueType ?? "UNKNOWN",
          description: entity.spec.description ?? null,
          owner: entity.spec.owner ?? null,
          views: registry.views
            .filter((v) => v.spec.entities?.includes(entity.spec.name))
            .map((v) => v.spec.name),
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },

    async listServices(user: CurrentUser) {
      assertCan(user, "features:read");
      const registry = await snapshot();
      const summaries = new Map(registry.views.map((v) => [v.spec.name, toSummary(v, registry.services)]));
      return registry.services
        .map((service) => ({
          name: service.spec.name,
          description: service.spec.description ?? null,
          owner: service.spec.owner ?? null,
          views: (service.spec.features ?? []).map((projection) => ({
            name: projection.featureViewName,
            featureCount: projection.featureColumns?.length ?? 0,
            freshness: summaries.get(projection.featureViewName)?.freshness.state ?? null,
          })),
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },

    /**
     * Refuses, as bad input naming the field, a feature service the registry does not have (or any,
     * when no feature store is set up): a run records only a service lineage can follow.
     */
    async assertServiceExists(user: CurrentUser, name: string) {
      assertCan(user, "features:read");
      const refuse = (message: string) =>
        new AppError("BAD_REQUEST", `featureService: ${message}`, {
          details: [{ path: ["featureService"], message }],
        });
      if (!deps.feast) throw refuse("no feature store is set up, so a run cannot record a feature service");
      const registry = await snapshot();
      if (!registry.services.some((s) => s.spec.name === name))
        throw refuse(`${name} is not a feature service in Feast project ${deps.project}`);
    },

    /**
     * The feature views a table feeds (their batch source reads it), for the dataset page. Null when
     * the person may not read features or the store is not set up; an error message when Feast fails.
     */
    async viewsFedByTable(
      user: CurrentUser,
      fullName: string,
    ): Promise<{ views: Summary[]; error: string | null } | null> {
      if (!can(user, "features:read") || !deps.feast) return null;
      try {
        const registry = await snapshot();
        const target = fullName.toLowerCase();
        return {
          views: registry.views
            .filter((v) => v.spec.batchSource?.sparkOptions?.table?.toLowerCase() === target)
            .map((v) => toSummary(v, registry.services)),
          error: null,
        };
      } catch (error) {
        if (error instanceof AppError) return { views: [], error: error.message };
        throw error;
      }
    },
  };
}

export type FeatureStoreService = ReturnType<typeof createFeatureService>;
export type FeatureViewList = Awaited<ReturnType<FeatureStoreService["listViews"]>>;
export type FeatureViewSummary = FeatureViewList["views"][number];
export type FeatureViewDetail = Awaited<ReturnType<FeatureStoreService["getView"]>>;
export type FeatureEntityList = Awaited<ReturnType<FeatureStoreService["listEntities"]>>;
export type FeatureServiceList = Awaited<ReturnType<FeatureStoreService["listServices"]>>;

const globalForFeatures = globalThis as unknown as { switchboardFeatures?: FeatureStoreService };

function features(): FeatureStoreService {
  globalForFeatures.switchboardFeatures ??= createFeatureService({
    feast: getCloudClients().feast,
    project: getConfig().FEAST_PROJECT,
    mlflow: getCloudClients().mlflow,
    db: getDb(),
  });
  return globalForFeatures.switchboardFeatures;
}

// What pages and routes call (the one DAL shape, docs/style.md): each bound to the real dependencies.
export const listViews: FeatureStoreService["listViews"] = (...args) => features().listViews(...args);
export const getView: FeatureStoreService["getView"] = (...args) => features().getView(...args);
export const listEntities: FeatureStoreService["listEntities"] = (...args) =>
  features().listEntities(...args);
export const listServices: FeatureStoreService["listServices"] = (...args) =>
  features().listServices(...args);
export const assertServiceExists: FeatureStoreService["assertServiceExists"] = (...args) =>
  features().assertServiceExists(...args);
export const viewsFedByTable: FeatureStoreService["viewsFedByTable"] = (...args) =>
  features().viewsFedByTable(...args);
