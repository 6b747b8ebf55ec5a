import type { z } from "zod";
import { ContractError, createHttpClient, type TransportOptions } from "../http";
import {
  dataSource,
  dataSourceList,
  entity,
  entityList,
  errorBody,
  featureService,
  featureServiceList,
  featureViewList,
  featureViewResponse,
  project,
  projectList,
  type DataSource,
  type Entity,
  type FeatureService,
  type FeatureView,
  type Pagination,
  type Project,
} from "./schemas";

export type {
  DataSource,
  Entity,
  FeatureService,
  FeatureSpec,
  FeatureView,
  MaterializationInterval,
  Pagination,
  Project,
} from "./schemas";

/**
 * Feast's registry server REST API (`feast serve_registry --rest-api`, FastAPI with root_path
 * `/api/v1`; feast-dev/feast sdk/python/feast/api/registry/rest/: projects.py, feature_views.py,
 * entities.py, data_sources.py, feature_services.py, rest_utils.py) on the shared transport.
 * Lists take `project`, and page with `page` (1-based) and `limit` (at most 100: more is a 422) and
 * answer a `pagination` object (page, limit, totalCount, totalPages, hasNext, hasPrevious). Errors
 * are `{status_code, detail, error_type}` (rest_registry_server.py `_add_exception_handlers`); the
 * error_type becomes the CloudApiError's code. A missing object is a 404 whose detail reads
 * "Feature view x does not exist in project y". Auth is a bearer token (OIDC or Kubernetes auth).
 */

export interface FeastClientOptions extends TransportOptions {
  /** The registry server's base URL; `/api/v1` is added. */
  baseUrl: string;
}

/** rest_utils.get_pagination_params: `limit` le=100. */
export const feastMaxPageLimit = 100;

export interface PageRequest {
  /** 1-based. */
  page?: number;
  limit?: number;
}

export interface ListPage<T> {
  items: T[];
  pagination: Required<Pick<Pagination, "page" | "limit" | "totalCount" | "totalPages">> & {
    hasNext: boolean;
    hasPrevious: boolean;
  };
}

export function parseFeastError(_status: number, body: unknown): { errorCode?: string; message?: string } {
  const parsed = errorBody.safeParse(body);
  if (!parsed.success) return {};
  const { detail, error_type } = parsed.data;
  const message =
    typeof detail === "string" ? detail : detail === undefined ? undefined : JSON.stringify(detail);
  return { errorCode: error_type, message };
}

const segment = encodeURIComponent;

function normalise(pagination: Pagination | undefined, count: number, request: Required<PageRequest>) {
  return {
    page: pagination?.page ?? request.page,
    limit: pagination?.limit ?? request.limit,
    totalCount: pagination?.totalCount ?? count,
    totalPages: pagination?.totalPages ?? (count ? 1 : 0),
    hasNext: pagination?.hasNext ?? false,
    hasPrevious: pagination?.hasPrevious ?? false,
  };
}

export function createFeastClient(options: FeastClientOptions) {
  const http = createHttpClient({
    service: "Feast",
    baseUrl: `${options.baseUrl.replace(/\/$/, "")}/api/v1`,
    getToken: options.getToken,
    timeoutMs: options.timeoutMs ?? 30_000,
    retryBudgetMs: options.retryBudgetMs,
    maxAttempts: options.maxAttempts,
    parseError: parseFeastError,
    fetch: options.fetch,
    sleep: options.sleep,
    userAgent: "switchboard/0.1 feast",
  });

  async function listPage<B, T>(
    path: string,
    schema: z.ZodType<B>,
    pick: (body: B) => { items: T[] | undefined; pagination: Pagination | undefined },
    query: Record<string, string | number | boolean | undefined | string[]>,
    request: PageRequest,
  ): Promise<ListPage<T>> {
    const page = { page: request.page ?? 1, limit: request.limit ?? feastMaxPageLimit };
    const body = await http.request("GET", path, { query: { ...query, ...page }, schema });
    const { items = [], pagination } = pick(body);
    return { items, pagination: normalise(pagination, items.length, page) };
  }

  /** Every item, page after page until hasNext is false (bounded, in case a server never says so). */
  async function listAll<T>(read: (request: PageRequest) => Promise<ListPage<T>>): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; page <= 1000; page++) {
      const { items, pagination } = await read({ page, limit: feastMaxPageLimit });
      out.push(...items);
      if (!pagination.hasNext || !items.length) return out;
    }
    return out;
  }

  const client = {
    listProjects(request: PageRequest = {}): Promise<ListPage<Project>> {
      return listPage(
        "/projects",
        projectList,
        (b) => ({ items: b.projects, pagination: b.pagination }),
        {},
        request,
      );
    },
    getProject(name: string): Promise<Project> {
      return http.request("GET", `/projects/${segment(name)}`, { schema: project });
    },

    /** Feature views of every kind (ListAllFeatureViews); on-demand views have no `featureView` and are left out. */
    async listFeatureViews(
      projectName: string,
      request: PageRequest & { tags?: Record<string, string> } = {},
    ): Promise<ListPage<FeatureView>> {
      const tags = request.tags ? Object.entries(request.tags).map(([k, v]) => `${k}:${v}`) : undefined;
      const page = await listPage(
        "/feature_views",
        featureViewList,
        (b) => ({ items: b.featureViews, pagination: b.pagination }),
        { project: projectName, tags },
        request,
      );
      const items = page.items.flatMap((any) => {
        const view = any.featureView ?? any.streamFeatureView;
        return view ? [view] : [];
      });
      return { items, pagination: page.pagination };
    },
    listAllFeatureViews(projectName: string): Promise<FeatureView[]> {
      return listAll((request) => client.listFeatureViews(projectName, request));
    },
    async getFeatureView(projectName: string, name: string): Promise<FeatureView> {
      const body = await http.request("GET", `/feature_views/${segment(name)}`, {
        query: { project: projectName },
        schema: featureViewResponse,
      });
      if (!body.featureView?.spec)
        throw new ContractError("Feast", `/feature_views/${name}`, "featureView has no spec");
      return body.featureView as FeatureView;
    },

    listEntities(projectName: string, request: PageRequest = {}): Promise<ListPage<Entity>> {
      return listPage(
        "/entities",
        entityList,
        (b) => ({ items: b.entities, pagination: b.pagination }),
        { project: projectName },
        request,
      );
    },
    listAllEntities(projectName: string): Promise<Entity[]> {
      return listAll((request) => client.listEntities(projectName, request));
    },
    getEntity(projectName: string, name: string): Promise<Entity> {
      return http.request("GET", `/entities/${segment(name)}`, {
        query: { project: projectName },
        schema: entity,
      });
    },

    listDataSources(projectName: string, request: PageRequest = {}): Promise<ListPage<DataSource>> {
      return listPage(
        "/data_sources",
        dataSourceList,
        (b) => ({ items: b.data_sources, pagination: b.pagination }),
        { project: projectName },
        request,
      );
    },
    listAllDataSources(projectName: string): Promise<DataSource[]> {
      return listAll((request) => client.listDataSources(projectName, request));
    },
    getDataSource(projectName: string, name: string): Promise<DataSource> {
      return http.request("GET", `/data_sources/${segment(name)}`, {
        query: { project: projectName },
        schema: dataSource,
      });
    },

    listFeatureServices(projectName: string, request: PageRequest = {}): Promise<ListPage<FeatureService>> {
      return listPage(
        "/feature_services",
        featureServiceList,
        (b) => ({ items: b.featureServices, pagination: b.pagination }),
        { project: projectName },
        request,
      );
    },
    listAllFeatureServices(projectName: string): Promise<FeatureService[]> {
      return listAll((request) => client.listFeatureServices(projectName, request));
    },
    getFeatureService(projectName: string, name: string): Promise<FeatureService> {
      return http.request("GET", `/feature_services/${segment(name)}`, {
        query: { project: projectName },
        schema: featureService,
      });
    },
  };
  return client;
}

export type FeastClient = ReturnType<typeof createFeastClient>;

/** "86400s" or "1.5s" (protobuf Duration JSON) in seconds; absent or unparsable is 0, Feast's "never expires". */
export function durationSeconds(duration: string | undefined): number {
  const match = duration?.match(/^(-?\d+(?:\.\d+)?)s$/);
  return match ? Number(match[1]) : 0;
}
