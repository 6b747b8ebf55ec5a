import "server-only";
import { mapLimited } from "@/lib/async/map-limited";
import { assertCan, type CurrentUser } from "@/lib/auth/session";
import { getCloudClients } from "@/lib/cloud";
import { describeCloudError, throwCloudError } from "@/lib/cloud-errors";
import { summariseService, type InferenceService, type KServeClient } from "@/lib/clients/kserve";
import { isEndpointMissing, type MlflowClient, type Run } from "@/lib/clients/mlflow";
import { getConfig } from "@/lib/config";
import { getDb, type PrismaClient } from "@/lib/db/client";
import { isUnityCatalogModelName } from "@/lib/domain/rollout/promotion-target";
import { servedModelOf } from "@/lib/domain/rollout/serving-map";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { datasetHref } from "./datasets";
import { listDeploymentsForModel, type DeploymentDto, type DeploymentsStore } from "./deployments";
import { type ListModelsQuery } from "@/lib/validation/models";

/**
 * Registered models from both registries (workspace: stages; Unity Catalog: aliases), read live
 * from MLflow, with each version's lineage: dataset → training run → version → KServe service →
 * monitoring. Only the versions shown are enriched, with a bounded number of calls in flight.
 */

export type RegistryKindDto = "WORKSPACE" | "UNITY_CATALOG";

export interface ModelListItem {
  name: string;
  registry: RegistryKindDto;
  description: string;
  tags: Record<string, string>;
  aliases: Array<{ alias: string; version: string }>;
  /** Workspace registry: the newest version in each stage. */
  stages: Array<{ stage: string; version: string }>;
  updatedAt: number | null;
}

export interface ModelListing {
  items: ModelListItem[];
  /** A registry that could not be read, said plainly instead of showing a partial list as whole. */
  warnings: string[];
  /** More models exist than were searched. */
  isTruncated: boolean;
}

export interface VersionLineage {
  dataset: { name: string; href: string | null } | null;
  run: { mlflowRunId: string; name: string | null; href: string | null; status: string | null } | null;
  deployments: Array<{
    namespace: string;
    serviceName: string;
    isCanary: boolean;
    percent: number | null;
    monitoringHref: string;
  }>;
}

export interface ModelVersionItem {
  version: string;
  stage: string | null;
  aliases: string[];
  status: string;
  description: string;
  source: string;
  createdAt: number | null;
  createdBy: string | null;
  metrics: Array<{ key: string; value: number }>;
  lineage: VersionLineage;
}

export interface ServingSummary {
  namespace: string;
  serviceName: string;
  servedVersion: string | null;
  mappedBy: string;
  isReady: boolean;
  traffic: Array<{ revisionName: string; percent: number; isLatest: boolean }>;
  monitoringHref: string;
}

export interface ModelDetail extends ModelListItem {
  versions: ModelVersionItem[];
  /** Versions beyond the newest shown. */
  olderVersionCount: number;
  serving: ServingSummary[];
  recentDeployments: DeploymentDto[];
  warnings: string[];
}

export interface ModelsDeps {
  mlflow: () => MlflowClient;
  kserve: () => Pick<KServeClient, "list">;
  db: PrismaClient;
  deployments: () => Pick<DeploymentsStore, "listForModel">;
  namespace: string;
}

const searchLimit = 2000;
const versionsShown = 25;
const concurrentCalls = 6;
const metricsShown = 4;

/** Table names that look like catalog.schema.table link to the dataset page. */
function datasetLink(name: string): { name: string; href: string | null } {
  const parts = name.split(".");
  return { name, href: parts.length === 3 && parts.every(Boolean) ? datasetHref(name) : null };
}

const monitoringHref = (namespace: string, serviceName: string) =>
  `/monitoring/${encodeURIComponent(namespace)}/${encodeURIComponent(serviceName)}`;

const matches = (item: ModelListItem, q: string) => {
  const needle = q.toLowerCase();
  return [item.name, item.description, ...Object.entries(item.tags).flat()].some((text) =>
    text.toLowerCase().includes(needle),
  );
};

/** The dataset a run trained on: logged dataset inputs first, then the conventional `train_table` param. */
function datasetOf(run: Run | undefined): string | null {
  if (!run) return null;
  const input =
    run.datasetInputs.find((d) => d.tags["mlflow.data.context"] !== "eval") ?? run.datasetInputs[0];
  return (
    input?.dataset.source?.match(/"?table_name"?\s*:\s*"([^"]+)"/)?.[1] ??
    input?.dataset.name ??
    run.params.train_table ??
    run.params.dataset ??
    null
  );
}

export function createModelsReader(deps: ModelsDeps) {
  const explain = (source: string, error: unknown, missing = "Its models are not shown.") => {
    logger.warn({ err: error }, `could not read the ${source}`);
    return `${describeCloudError(error, `the ${source}`)} ${missing}`;
  };

  async function workspaceModels(): Promise<{ items: ModelListItem[]; isTruncated: boolean }> {
    const items: ModelListItem[] = [];
    for await (const m of deps.mlflow().iterateRegisteredModels({ maxResults: 1000 })) {
      if (items.length >= searchLimit) return { items, isTruncated: true };
      items.push({
        name: m.name,
        registry: "WORKSPACE",
        description: m.description ?? "",
        tags: m.tags,
        aliases: m.aliases.map((a) => ({ alias: a.alias, version: a.version })),
        stages: (m.latestVersions ?? [])
          .filter((v) => v.currentStage !== "None")
          .map((v) => ({ stage: v.currentStage, version: v.version })),
        updatedAt: m.lastUpdatedTimestamp ?? null,
      });
    }
    return { items, isTruncated: false };
  }

  async function unityCatalogModels(): Promise<{ items: ModelListItem[]; isTruncated: boolean }> {
    const items: ModelListItem[] = [];
    try {
      for await (const m of deps.mlflow().iterateUcModels({ maxResults: 1000, includeAliases: true })) {
        if (items.length >= searchLimit) return { items, isTruncated: true };
        items.push({
          name: m.fullName,
          registry: "UNITY_CATALOG",
          description: m.comment ?? "",
          tags: {},
          aliases: m.aliases.map((a) => ({ alias: a.aliasName, version: String(a.versionNum) })),
          stages: [],
          updatedAt: m.updatedAt ?? null,
        });
      }
    } catch (error) {
      // Open-source MLflow and Azure ML have no Unity Catalog: nothing to show, nothing wrong.
      if (isEndpointMissing(error)) return { items: [], isTruncated: false };
      throw error;
    }
    return { items, isTruncated: false };
  }

  async function servicesFor(
    modelName: string,
    warnings: string[],
  ): Promise<Array<{ service: InferenceService; version?: string; mappedBy: string }>> {
    try {
      const services = await deps.kserve().list({ namespace: deps.namespace });
      return services.flatMap((service) => {
        const served = servedModelOf(service, [modelName]);
        return served?.modelName === modelName
          ? [{ service, version: served.version, mappedBy: served.source }]
          : [];
      });
    } catch (error) {
      warnings.push(explain("KServe service list", error, "Serving is not shown."));
      return [];
    }
  }

  async function readRuns(runIds: string[]): Promise<Map<string, Run>> {
    const runs = await mapLimited([...new Set(runIds)], concurrentCalls, async (runId) => {
      try {
        return await deps.mlflow().getRun(runId);
      } catch (error) {
        logger.warn({ err: error, runId }, "could not read a model version's run");
        return undefined;
      }
    });
    return new Map(runs.filter((r): r is Run => Boolean(r)).map((r) => [r.info.runId, r]));
  }

  return {
    async listModels(user: CurrentUser, query: ListModelsQuery = {}): Promise<ModelListing> {
      assertCan(user, "models:read");
      const warnings: string[] = [];
      const [workspace, unityCatalog] = await Promise.all([
        workspaceModels().catch(
          (error) => (
            warnings.push(explain("workspace model registry", error)),
            { items: [], isTruncated: false }
          ),
        ),
        unityCatalogModels().catch(
          (error) => (
            warnings.push(explain("Unity Catalog model registry", error)),
            { items: [], isTruncated: false }
          ),
        ),
      ]);
      const all = [...workspace.items, ...unityCatalog.items];
      const items = (query.q ? all.filter((m) => matches(m, query.q!)) : all).sort((a, b) =>
        a.name.localeCompare(b.name),
      );
      return { items, warnings, isTruncated: workspace.isTruncated || unityCatalog.isTruncated };
    },

    async getModel(user: CurrentUser, name: string): Promise<ModelDetail> {
      assertCan(user, "models:read");
      const mlflow = deps.mlflow();
      const warnings: string[] = [];
      const isUnityCatalog = isUnityCatalogModelName(name);
      let header: ModelListItem;
      let rawVersions: Array<Omit<ModelVersionItem, "metrics" | "lineage"> & { runId?: string }>;
      try {
        if (isUnityCatalog) {
          const model = await mlflow.getUcModel(name);
          header = {
            name: model.fullName,
            registry: "UNITY_CATALOG",
            description: model.comment ?? "",
            tags: {},
            aliases: model.aliases.map((a) => ({ alias: a.aliasName, version: String(a.versionNum) })),
            stages: [],
            updatedAt: model.updatedAt ?? null,
          };
          rawVersions = [];
          for await (const v of mlflow.iterateUcModelVersions(name, { maxResults: 1000 })) {
            rawVersions.push({
              version: String(v.version),
              stage: null,
              aliases: v.aliases.map((a) => a.aliasName),
              status: v.status ?? "READY",
              description: v.comment ?? "",
              source: v.storageLocation ?? v.source ?? "",
              createdAt: v.createdAt ?? null,
              createdBy: v.createdBy ?? null,
              runId: v.runId,
            });
          }
        } else {
          // The model and its versions in parallel: neither request needs the other's answer.
          const versionsOf = async () => {
            const found = [];
            for await (const v of mlflow.iterateModelVersions({
              filter: `name = '${name.replace(/'/g, "\\'")}'`,
              maxResults: 1000,
            }))
              found.push(v);
            return found;
          };
          const [model, versions] = await Promise.all([mlflow.getRegisteredModel(name), versionsOf()]);
          header = {
            name: model.name,
            registry: "WORKSPACE",
            description: model.description ?? "",
            tags: model.tags,
            aliases: model.aliases.map((a) => ({ alias: a.alias, version: a.version })),
            stages: (model.latestVersions ?? [])
              .filter((v) => v.currentStage !== "None")
              .map((v) => ({ stage: v.currentStage, version: v.version })),
            updatedAt: model.lastUpdatedTimestamp ?? null,
          };
          // model-versions/search leaves aliases out (MLflow 2.x); the registered model lists them all.
          const aliasesOf = (version: string) =>
            model.aliases
              .filter((a) => a.version === version)
              .map((a) => a.alias)
              .sort();
          rawVersions = versions.map((v) => ({
            version: v.version,
            stage: v.currentStage,
            aliases: aliasesOf(v.version),
            status: v.status,
            description: v.description,
            source: v.source,
            createdAt: v.creationTimestamp ?? null,
            createdBy: v.userId ?? null,
            runId: v.runId,
          }));
        }
      } catch (error) {
        throwCloudError(error, `the versions of ${name}`, {
          notFound: () => new AppError("NOT_FOUND", `There is no registered model named ${name}.`),
        });
      }
      rawVersions.sort((a, b) => Number(b.version) - Number(a.version) || b.version.localeCompare(a.version));
      const shown = rawVersions.slice(0, versionsShown);
      const runIds = shown.flatMap((v) => (v.runId ? [v.runId] : []));
      const [runs, ourRuns, services, recentDeployments] = await Promise.all([
        readRuns(runIds),
        deps.db.trainingRun.findMany({
          where: { mlflowRunId: { in: runIds } },
          select: { id: true, mlflowRunId: true, datasetFullName: true },
        }),
        servicesFor(header.name, warnings),
        deps.deployments().listForModel(user, header.name, 10),
      ]);
      const ourRunOf = new Map(ourRuns.map((r) => [r.mlflowRunId!, r]));

      const serving: ServingSummary[] = services.map(({ service, version, mappedBy }) => {
        const summary = summariseService(service);
        return {
          namespace: summary.namespace,
          serviceName: summary.name,
          servedVersion: version ?? null,
          mappedBy,
          isReady: summary.isReady,
          traffic: summary.traffic
            .filter((t) => t.percent > 0)
            .map((t) => ({ revisionName: t.revisionName, percent: t.percent, isLatest: t.isLatest })),
          monitoringHref: monitoringHref(summary.namespace, summary.name),
        };
      });

      const versions: ModelVersionItem[] = shown.map(({ runId, ...v }) => {
        const run = runId ? runs.get(runId) : undefined;
        const ours = runId ? ourRunOf.get(runId) : undefined;
        const dataset = ours?.datasetFullName ?? datasetOf(run);
        const metrics = Object.values(run?.metrics ?? {})
          .filter((m) => Number.isFinite(m.value))
          .sort((a, b) => a.key.localeCompare(b.key))
          .slice(0, metricsShown)
          .map((m) => ({ key: m.key, value: m.value }));
        const deployments = serving
          .filter((s) => s.servedVersion === v.version)
          // The spec names the latest revision's model, so its share is this version's share.
          .map((s) => ({
            namespace: s.namespace,
            serviceName: s.serviceName,
            isCanary: s.traffic.length > 1,
            percent: s.traffic.find((t) => t.isLatest)?.percent ?? null,
            monitoringHref: s.monitoringHref,
          }));
        return {
          ...v,
          metrics,
          lineage: {
            dataset: dataset ? datasetLink(dataset) : null,
            run: runId
              ? {
                  mlflowRunId: runId,
                  name: run?.info.runName ?? null,
                  href: ours ? `/runs/${ours.id}` : null,
                  status: run?.info.status ?? null,
                }
              : null,
            deployments,
          },
        };
      });
      return {
        ...header,
        versions,
        olderVersionCount: rawVersions.length - shown.length,
        serving,
        recentDeployments,
        warnings,
      };
    },
  };
}

let reader: ReturnType<typeof createModelsReader> | undefined;
const getReader = () =>
  (reader ??= createModelsReader({
    mlflow: () => getCloudClients().mlflow,
    kserve: () => getCloudClients().kserve,
    db: getDb(),
    deployments: () => ({ listForModel: listDeploymentsForModel }),
    namespace: getConfig().KSERVE_NAMESPACE,
  }));

export const listModels = (user: CurrentUser, query?: ListModelsQuery) => getReader().listModels(user, query);
export const getModel = (user: CurrentUser, name: string) => getReader().getModel(user, name);
