import { auditCheckpointContainerUrl, getConfig, type Config } from "@/lib/config";
import { azureManagementScope, azureManagementUrl, createAdfClient } from "@/lib/clients/adf";
import { createAirflowClient } from "@/lib/clients/airflow";
import { azureStorageScope, createBlobContainerClient } from "@/lib/clients/azure-blob";
import { createAzureTokenProvider, staticTokenProvider } from "@/lib/clients/azure-token";
import { createDatabricksClient } from "@/lib/clients/databricks";
import { createFeastClient } from "@/lib/clients/feast";
import { createGraphClient, graphScope } from "@/lib/clients/graph";
import type { TokenProvider } from "@/lib/clients/http";
import { createKServeClient } from "@/lib/clients/kserve";
import { createMlflowClient } from "@/lib/clients/mlflow";
import { createPrometheusClient } from "@/lib/clients/prometheus";
import { createSqlClient } from "@/lib/clients/sql";
import { createUnityCatalogClient } from "@/lib/clients/unity-catalog";
import { sandboxAdfFactory } from "@/lib/config/sandbox-adf";
import { sandboxOidcClient } from "@/lib/config/sandbox-oidc";

/**
 * The one place that turns configuration into cloud clients: the real services in cloud mode, the
 * sandbox otherwise. Everything else receives clients and never reads cloud settings itself.
 */
/**
 * `interactive` clients serve a person waiting on a page: they give up within seconds so the page can
 * show an error state. `background` clients (workers) retry for minutes, like Databricks' own SDK.
 */
const profiles = {
  interactive: { timeoutMs: 10_000, retryBudgetMs: 15_000 },
  background: { timeoutMs: 60_000, retryBudgetMs: 300_000 },
} as const;
export type ClientProfile = keyof typeof profiles;

interface Endpoint {
  baseUrl: string;
  getToken?: TokenProvider;
  isSandbox: boolean;
}

const bearer = (token: string | undefined) => (token ? staticTokenProvider(token) : undefined);

/**
 * Where each cloud system is. Cloud mode: the real services. Sandbox mode: the sandbox, except a
 * system given its own real service (MLFLOW_TRACKING_URI, PROMETHEUS_URL), so a team can try
 * Switchboard on its own server with everything else sandboxed.
 */
function endpointsOf(config: Config) {
  const isSandbox = config.SWITCHBOARD_MODE === "sandbox";
  const sandbox: Required<Endpoint> = {
    baseUrl: config.SANDBOX_URL,
    getToken: staticTokenProvider(config.SANDBOX_TOKEN),
    isSandbox: true,
  };
  const databricks: Required<Endpoint> = isSandbox
    ? sandbox
    : {
        baseUrl: config.DATABRICKS_HOST!,
        getToken:
          config.ARM_CLIENT_ID && config.ARM_CLIENT_SECRET && config.ARM_TENANT_ID
            ? createAzureTokenProvider({
                tenantId: config.ARM_TENANT_ID,
                clientId: config.ARM_CLIENT_ID,
                clientSecret: config.ARM_CLIENT_SECRET,
              })
            : staticTokenProvider(config.DATABRICKS_TOKEN!),
        isSandbox: false,
      };
  // MLflow: the workspace's own by default; an Azure ML or self-hosted server when a URL is given.
  const tracking = config.MLFLOW_TRACKING_URI;
  const mlflow: Endpoint =
    tracking && tracking !== "databricks"
      ? { baseUrl: tracking, getToken: bearer(config.MLFLOW_TRACKING_TOKEN), isSandbox: false }
      : databricks;
  const kubernetes: Endpoint = isSandbox
    ? sandbox
    : { baseUrl: config.KUBERNETES_API_URL!, getToken: bearer(config.KUBERNETES_TOKEN), isSandbox: false };
  // Prometheus: PROMETHEUS_URL wins in sandbox mode too, e.g. the one `npm run dev` starts (docs/decisions/011).
  const prometheus: Endpoint = config.PROMETHEUS_URL
    ? { baseUrl: config.PROMETHEUS_URL, getToken: bearer(config.PROMETHEUS_TOKEN), isSandbox: false }
    : sandbox;
  return { databricks, mlflow, kubernetes, prometheus };
}

/** Which systems are the sandbox and which real services, by the names people know them by (for the header). */
export function describeSystems(config: Config): Array<{ name: string; isSandbox: boolean }> {
  const { databricks, mlflow, kubernetes, prometheus } = endpointsOf(config);
  return [
    { name: "Databricks", isSandbox: databricks.isSandbox },
    { name: "MLflow", isSandbox: mlflow.isSandbox },
    { name: "KServe", isSandbox: kubernetes.isSandbox },
    { name: "Prometheus", isSandbox: prometheus.isSandbox },
  ];
}

/** `mlflowFetch`: the worker passes a rate-limited fetch so its MLflow load stays within MLFLOW_SYNC_CALLS_PER_SECOND. */
export function createCloudClients(
  config: Config,
  profile: ClientProfile = "background",
  overrides: { mlflowFetch?: typeof fetch } = {},
) {
  const limits = profiles[profile];
  const { databricks, mlflow, kubernetes, prometheus } = endpointsOf(config);
  const { baseUrl: databricksUrl, getToken: databricksToken } = databricks;
  const isSandbox = config.SWITCHBOARD_MODE === "sandbox";
  const sandboxToken = staticTokenProvider(config.SANDBOX_TOKEN);

  // The service principal again, for Azure Storage (config requires it in cloud mode).
  const storageToken: TokenProvider = isSandbox
    ? sandboxToken
    : createAzureTokenProvider({
        tenantId: config.ARM_TENANT_ID!,
        clientId: config.ARM_CLIENT_ID!,
        clientSecret: config.ARM_CLIENT_SECRET!,
        scope: azureStorageScope,
      });

  // Microsoft Graph, for who holds Switchboard's app roles: read with the sign-in app registration's own credentials.
  const entra =
    config.ENTRA_TENANT_ID && config.ENTRA_CLIENT_ID && config.ENTRA_CLIENT_SECRET
      ? {
          tenantId: config.ENTRA_TENANT_ID,
          clientId: config.ENTRA_CLIENT_ID,
          clientSecret: config.ENTRA_CLIENT_SECRET,
        }
      : undefined;
  const graph = isSandbox
    ? {
        client: createGraphClient({
          baseUrl: `${config.SANDBOX_URL}/v1.0`,
          getToken: sandboxToken,
          ...limits,
        }),
        appId: sandboxOidcClient.clientId,
      }
    : entra
      ? {
          client: createGraphClient({
            baseUrl: "https://graph.microsoft.com/v1.0",
            getToken: createAzureTokenProvider({ ...entra, scope: graphScope }),
            ...limits,
          }),
          appId: entra.clientId,
        }
      : undefined;

  // Airflow is optional in cloud mode: without AIRFLOW_URL the Pipelines area says it is not set up.
  const airflowToken = isSandbox
    ? sandboxToken
    : config.AIRFLOW_TOKEN
      ? staticTokenProvider(config.AIRFLOW_TOKEN)
      : undefined;
  const airflowBasic =
    config.AIRFLOW_USERNAME && config.AIRFLOW_PASSWORD
      ? { username: config.AIRFLOW_USERNAME, password: config.AIRFLOW_PASSWORD }
      : undefined;
  const airflowUrl = isSandbox ? `${config.SANDBOX_URL.replace(/\/$/, "")}/airflow` : config.AIRFLOW_URL;

  // Data Factory is optional in cloud mode: the factory's ARM ids switch it on, read with the service principal.
  const adfFactory = isSandbox
    ? sandboxAdfFactory
    : config.ADF_SUBSCRIPTION_ID && config.ADF_RESOURCE_GROUP && config.ADF_FACTORY_NAME
      ? {
          subscriptionId: config.ADF_SUBSCRIPTION_ID,
          resourceGroup: config.ADF_RESOURCE_GROUP,
          factoryName: config.ADF_FACTORY_NAME,
        }
      : undefined;
  const adf = adfFactory
    ? createAdfClient({
        ...adfFactory,
        baseUrl: isSandbox ? config.SANDBOX_URL : azureManagementUrl,
        getToken: isSandbox
          ? sandboxToken
          : createAzureTokenProvider({
              tenantId: config.ARM_TENANT_ID!,
              clientId: config.ARM_CLIENT_ID!,
              clientSecret: config.ARM_CLIENT_SECRET!,
              scope: azureManagementScope,
            }),
        ...limits,
      })
    : undefined;

  // Feast is optional in cloud mode too: without FEAST_REGISTRY_URL the Features area says it is not set up.
  const feastUrl = isSandbox ? `${config.SANDBOX_URL.replace(/\/$/, "")}/feast` : config.FEAST_REGISTRY_URL;
  const feastToken = isSandbox ? sandboxToken : bearer(config.FEAST_REGISTRY_TOKEN);

  return {
    graph,
    databricks: createDatabricksClient({ baseUrl: databricksUrl, getToken: databricksToken, ...limits }),
    mlflow: createMlflowClient({
      baseUrl: mlflow.baseUrl,
      getToken: mlflow.getToken,
      fetch: overrides.mlflowFetch,
      ...limits,
    }),
    unityCatalog: createUnityCatalogClient({ baseUrl: databricksUrl, getToken: databricksToken, ...limits }),
    sql: createSqlClient({
      baseUrl: databricksUrl,
      getToken: databricksToken,
      warehouseId: databricks.isSandbox ? "sandbox-warehouse" : config.DATABRICKS_SQL_WAREHOUSE_ID,
      ...limits,
    }),
    kserve: createKServeClient({
      apiUrl: kubernetes.baseUrl,
      getToken: kubernetes.getToken,
      namespace: config.KSERVE_NAMESPACE,
      ...limits,
    }),
    airflow: airflowUrl
      ? createAirflowClient({
          baseUrl: airflowUrl,
          getToken: airflowToken,
          basicAuth: airflowBasic,
          ...limits,
        })
      : undefined,
    adf,
    feast: feastUrl ? createFeastClient({ baseUrl: feastUrl, getToken: feastToken, ...limits }) : undefined,
    auditCheckpoints: createBlobContainerClient({
      containerUrl: auditCheckpointContainerUrl(config),
      getToken: storageToken,
      ...limits,
    }),
    prometheus: createPrometheusClient({
      baseUrl: prometheus.baseUrl,
      getToken: prometheus.getToken,
      ...limits,
    }),
  };
}

export type CloudClients = ReturnType<typeof createCloudClients>;

let cached: CloudClients | undefined;

/** The web process's clients (interactive limits), built once from its configuration. */
export function getCloudClients(): CloudClients {
  cached ??= createCloudClients(getConfig(), "interactive");
  return cached;
}
